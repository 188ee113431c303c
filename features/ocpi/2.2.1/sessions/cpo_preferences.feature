@module:sessions @version:2.2.1 @role:CPO @interface:SENDER
Feature: Charging preferences, with a CPO under test as Sessions Sender
  roamcert, as eMSP, sends its driver's charging preferences for an ongoing Session of one of its Tokens.

  Background:
    Given the system under test holds the party role CPO
    And roamcert is registered with the SUT
    And the SUT implements sessions as SENDER

  @id:OCPI-2.2.1-TC-SES-PREF-01
  Scenario: Charging preferences for an ongoing Session
    Given an ongoing Session of one of roamcert's Tokens at an EVSE that takes charging preferences
    When roamcert sends REGULAR charging preferences with a departure time and an energy need
    Then the CPO answers with a ChargingPreferencesResponse

  @id:OCPI-2.2.1-TC-SES-PREF-02
  Scenario: A profile type is accepted only where a Tariff is offered for it
    Given an ongoing Session of one of roamcert's Tokens at an EVSE that takes charging preferences
    When roamcert sends charging preferences of every profile type
    Then the CPO accepts only profile types the Connector offers a Tariff for

  @id:OCPI-2.2.1-TC-SES-PREF-03
  Scenario: Charging preferences that are no ChargingPreferences object
    Given an ongoing Session of one of roamcert's Tokens at an EVSE that takes charging preferences
    When roamcert sends charging preferences with an unknown profile type
    Then the CPO refuses the charging preferences with status code 2001

  @id:OCPI-2.2.1-TC-SES-PREF-04
  Scenario: Charging preferences for a Session the CPO does not know
    When roamcert sends charging preferences for a Session the CPO does not know
    Then the CPO does not take the charging preferences

  @id:OCPI-2.2.1-TC-SES-PREF-05
  Scenario: Charging preferences at an EVSE that does not take them
    Given an ongoing Session of one of roamcert's Tokens at an EVSE that does not take charging preferences
    When roamcert sends REGULAR charging preferences for that Session
    Then the CPO answers HTTP 404 with status code 2001
