@module:chargingprofiles @version:2.2.1 @interface:SENDER
Feature: ChargingProfiles, with a Sender under test (an SCSP, or an eMSP steering its customers' charging)
  roamcert's CPO has an ongoing Session the SUT may steer. The SUT sets a profile on it, asks for its
  ActiveChargingProfile and clears it; roamcert's CPO checks each request, accepts it and POSTs the result to the
  response URL the SUT gave, and tells the SUT when the ActiveChargingProfile changes.

  @id:OCPI-2.2.1-TC-CP-SND-01
  Scenario Outline: The Sender sets a charging profile
    Given the system under test holds the party role <role>
    And roamcert is registered with the SUT
    And the SUT implements chargingprofiles as SENDER
    And roamcert's CPO has an ongoing Session the SUT may steer
    When the operator makes the SUT set a charging profile on that Session
    Then roamcert's CPO received a valid SetChargingProfile with an absolute response URL
    And the SUT takes the result POSTed to that URL with status code 1000 and no data

    Examples:
      | role |
      | EMSP |
      | SCSP |

  @id:OCPI-2.2.1-TC-CP-SND-02
  Scenario Outline: The Sender asks for the ActiveChargingProfile
    Given the system under test holds the party role <role>
    And roamcert is registered with the SUT
    And the SUT implements chargingprofiles as SENDER
    And roamcert's CPO has an ongoing Session the SUT may steer
    When the operator makes the SUT ask for the ActiveChargingProfile of that Session
    Then roamcert's CPO received a GET with a duration and an absolute response URL
    And the SUT takes the result POSTed to that URL with status code 1000 and no data

    Examples:
      | role |
      | EMSP |
      | SCSP |

  @id:OCPI-2.2.1-TC-CP-SND-03
  Scenario Outline: The Sender clears a charging profile
    Given the system under test holds the party role <role>
    And roamcert is registered with the SUT
    And the SUT implements chargingprofiles as SENDER
    And roamcert's CPO has an ongoing Session the SUT may steer
    When the operator makes the SUT clear the charging profile of that Session
    Then roamcert's CPO received a DELETE with an absolute response URL
    And the SUT takes the result POSTed to that URL with status code 1000 and no data

    Examples:
      | role |
      | EMSP |
      | SCSP |

  @id:OCPI-2.2.1-TC-CP-SND-04
  Scenario Outline: The Sender takes an updated ActiveChargingProfile
    Given the system under test holds the party role <role>
    And roamcert is registered with the SUT
    And the SUT implements chargingprofiles as SENDER
    And roamcert's CPO has an ongoing Session the SUT may steer
    And the SUT has set a charging profile on that Session
    When roamcert's CPO PUTs a changed ActiveChargingProfile of that Session to the SUT
    Then the SUT takes the ActiveChargingProfile with status code 1000 and no data

    Examples:
      | role |
      | EMSP |
      | SCSP |
