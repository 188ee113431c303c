@module:transport @version:2.2.1
Feature: Status codes of the transport layer
  A message that is not valid JSON never reaches the OCPI layer: the server answers it with HTTP 400.

  @id:OCPI-2.2.1-TC-TF-02
  Scenario Outline: A body that is not valid JSON is refused with HTTP 400
    Given the system under test holds the party role <role>
    And roamcert is registered with the SUT
    When roamcert sends the SUT a request whose body is not valid JSON
    Then the SUT answers HTTP 400 Bad Request

    Examples:
      | role |
      | CPO  |
      | EMSP |
      | SCSP |
      | NSP  |
