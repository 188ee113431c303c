@module:hubclientinfo @version:2.2.1 @interface:RECEIVER
Feature: HubClientInfo, with a party connected to a Hub under test as Receiver
  roamcert pushes ClientInfo objects the way a Hub does, and reads each back.

  @id:OCPI-2.2.1-TC-HCI-01
  Scenario Outline: A pushed ClientInfo is stored and returned
    Given the system under test holds the party role <role>
    And roamcert is registered with the SUT
    And the SUT implements hubclientinfo as RECEIVER
    When roamcert, as a Hub would, pushes a ClientInfo of a PLANNED party
    Then the SUT returns the ClientInfo as pushed

    Examples:
      | role |
      | CPO  |
      | EMSP |
      | SCSP |
      | NSP  |

  @id:OCPI-2.2.1-TC-HCI-02
  Scenario Outline: Connection status changes replace the ClientInfo
    Given the system under test holds the party role <role>
    And roamcert is registered with the SUT
    And the SUT implements hubclientinfo as RECEIVER
    When roamcert pushes the ClientInfo of a party that connects, goes OFFLINE and is SUSPENDED
    Then the SUT returns each status as it was pushed

    Examples:
      | role |
      | CPO  |
      | EMSP |
      | SCSP |
      | NSP  |

  @id:OCPI-2.2.1-TC-HCI-03
  Scenario Outline: An invalid ClientInfo is refused and not stored
    Given the system under test holds the party role <role>
    And roamcert is registered with the SUT
    And the SUT implements hubclientinfo as RECEIVER
    When roamcert pushes a ClientInfo without role and with an unknown status
    Then the SUT refuses the ClientInfo with status code 2001 and does not store it

    Examples:
      | role |
      | CPO  |
      | EMSP |
      | SCSP |
      | NSP  |
