@module:credentials @version:2.2.1
Feature: Registration and the credentials life cycle
  roamcert registers with the SUT (the SUT is credentials Receiver), the SUT registers with
  roamcert (the SUT is credentials Sender), tokens are rotated, and the connection is ended.

  @id:OCPI-2.2.1-TC-CR-04 @phase:registration
  Scenario Outline: roamcert registers with the SUT
    Given the system under test holds the party role <role>
    When roamcert registers with the SUT using token A
    Then the SUT offers OCPI 2.2.1 with usable version details
    And the SUT issues a working token C after reading roamcert's versions with token B

    Examples:
      | role |
      | CPO  |
      | EMSP |
      | SCSP |
      | NSP  |

  @id:OCPI-2.2.1-TC-CR-05
  Scenario Outline: A second registration POST is refused
    Given the system under test holds the party role <role>
    And roamcert is registered with the SUT
    When roamcert posts its credentials again with token C
    Then the second POST is answered with HTTP 405

    Examples:
      | role |
      | CPO  |
      | EMSP |
      | SCSP |
      | NSP  |

  @id:OCPI-2.2.1-TC-CR-06
  Scenario Outline: Updating credentials rotates the token
    Given the system under test holds the party role <role>
    And roamcert is registered with the SUT
    When roamcert updates its credentials with a new token B
    Then the SUT answers a new token and refuses the previous one

    Examples:
      | role |
      | CPO  |
      | EMSP |
      | SCSP |
      | NSP  |

  @id:OCPI-2.2.1-TC-CR-07
  Scenario Outline: The SUT registers with roamcert
    Given the system under test holds the party role <role>
    When the operator makes the SUT register with roamcert's versions URL and a token A
    Then the SUT read roamcert's versions with token A and offered a working token B
    And every request of the SUT carried a Base64 token, request ids and a JSON content type

    Examples:
      | role |
      | CPO  |
      | EMSP |
      | SCSP |
      | NSP  |

  @id:OCPI-2.2.1-TC-CR-08 @phase:final
  Scenario Outline: Unregistering ends the connection
    Given the system under test holds the party role <role>
    And roamcert is registered with the SUT
    When roamcert deletes its credentials
    Then the SUT refuses token C from then on

    Examples:
      | role |
      | CPO  |
      | EMSP |
      | SCSP |
      | NSP  |
