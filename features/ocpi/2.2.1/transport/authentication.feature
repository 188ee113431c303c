@module:transport @version:2.2.1
Feature: Credentials tokens on module endpoints
  Every request to a module must carry a token the server issued, Base64-encoded; token A opens
  only versions and credentials.

  @id:OCPI-2.2.1-TC-TF-01
  Scenario Outline: Module endpoints enforce credentials tokens
    Given the system under test holds the party role <role>
    And roamcert is registered with the SUT
    And the SUT implements a functional module roamcert can call
    When roamcert calls that module without a token, with an unknown token, with token C unencoded and with token A
    Then each of these requests is refused with HTTP 401

    Examples:
      | role |
      | CPO  |
      | EMSP |
      | SCSP |
