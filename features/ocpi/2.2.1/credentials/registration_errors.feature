@module:credentials @version:2.2.1 @phase:pre-registration
Feature: Registration errors, with the SUT as credentials Receiver
  A server checks who registers with it: it must reach the client back, share a version with it,
  and only accept PUT or DELETE from a registered client. These cases use a token A of the SUT
  and run before roamcert registers.

  @id:OCPI-2.2.1-TC-CR-01
  Scenario Outline: Registration fails when the client's versions cannot be read
    Given the system under test holds the party role <role>
    When roamcert posts its credentials with a versions URL where nothing listens
    Then the SUT refuses the registration
    And the refusal carries status code 3001

    Examples:
      | role |
      | CPO  |
      | EMSP |
      | SCSP |
      | NSP  |

  @id:OCPI-2.2.1-TC-CR-02
  Scenario Outline: Registration fails when no OCPI version is shared
    Given the system under test holds the party role <role>
    When roamcert posts its credentials offering only OCPI 2.0
    Then the SUT refuses the registration
    And the refusal carries status code 3002

    Examples:
      | role |
      | CPO  |
      | EMSP |
      | SCSP |
      | NSP  |

  @id:OCPI-2.2.1-TC-CR-03
  Scenario Outline: PUT and DELETE of credentials before registration are refused
    Given the system under test holds the party role <role>
    When roamcert sends PUT and DELETE to the credentials endpoint with token A
    Then both are answered with HTTP 405

    Examples:
      | role |
      | CPO  |
      | EMSP |
      | SCSP |
      | NSP  |
