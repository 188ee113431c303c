@module:chargingprofiles @version:2.2.1 @role:CPO @interface:RECEIVER
Feature: ChargingProfiles, with a CPO under test as Receiver
  roamcert, as an eMSP steering its own customers' charging, acts on an ongoing Session of one of its Tokens and
  waits at its own Sender interface for the results and updates the CPO sends there.

  Background:
    Given the system under test holds the party role CPO
    And roamcert is registered with the SUT
    And the SUT implements chargingprofiles as RECEIVER

  @id:OCPI-2.2.1-TC-CP-CPO-01
  Scenario: The ActiveChargingProfile of an ongoing Session
    Given an ongoing Session of one of roamcert's Tokens at an EVSE that takes charging profiles
    When roamcert asks for the Session's ActiveChargingProfile with a response URL
    Then the CPO accepts and POSTs an ActiveChargingProfileResult with the profile to that URL

  @id:OCPI-2.2.1-TC-CP-CPO-02
  Scenario: Setting a charging profile
    Given an ongoing Session of one of roamcert's Tokens at an EVSE that takes charging profiles
    When roamcert sets a charging profile on the Session
    Then the CPO accepts and POSTs a ChargingProfileResult to the response URL

  @id:OCPI-2.2.1-TC-CP-CPO-03
  Scenario: Clearing a charging profile
    Given an ongoing Session of one of roamcert's Tokens whose ActiveChargingProfile roamcert never had changed
    When roamcert sets a charging profile on the Session and clears it again
    Then the CPO accepts the clearing and POSTs a ClearProfileResult to the response URL
    And the ActiveChargingProfile shows the EVSE's maximum capacity again

  @id:OCPI-2.2.1-TC-CP-CPO-04
  Scenario: A charging profile for a Session the CPO does not know
    When roamcert sets a charging profile on a Session the CPO does not know
    Then the CPO answers UNKNOWN_SESSION and sends no result

  @id:OCPI-2.2.1-TC-CP-CPO-05
  Scenario: A body that is no SetChargingProfile
    Given an ongoing Session of one of roamcert's Tokens at an EVSE that takes charging profiles
    When roamcert sends a charging profile without charging_rate_unit for the Session
    Then the CPO refuses the charging profile with status code 2001 and sends no result

  @id:OCPI-2.2.1-TC-CP-CPO-06
  Scenario: The CPO tells roamcert when the ActiveChargingProfile changes
    Given an ongoing Session of one of roamcert's Tokens at an EVSE that takes charging profiles
    And roamcert has set a charging profile on the Session
    When the operator makes the CPO change the Session's ActiveChargingProfile, as a local limit would
    Then the CPO PUTs the new ActiveChargingProfile to roamcert's Sender interface
    And the ActiveChargingProfile it PUTs covers at least 5 minutes

  @id:OCPI-2.2.1-TC-CP-CPO-07
  Scenario: No updates about Sessions roamcert never steered
    When the operator makes the CPO change the ActiveChargingProfile of a Session roamcert never set a profile on
    Then the CPO sends roamcert no ActiveChargingProfile for that Session
