@module:cdrs @version:2.2.1 @role:CPO @interface:SENDER
Feature: CDR prices, with a CPO under test
  roamcert, as eMSP, recomputes every CDR the CPO serves from the CPO's own tariffs, in each
  location's local time, and shows where the amounts diverge, charging period by charging period.

  Background:
    Given the system under test holds the party role CPO
    And roamcert is registered with the SUT
    And the SUT implements cdrs as SENDER
    And the SUT implements tariffs as SENDER

  @id:OCPI-2.2.1-TC-CDR-CPO-01
  Scenario: Every CDR is priced as the CPO's own tariffs say
    Given roamcert knows the CPO's Tariffs and the time zones of its Locations
    When roamcert pulls all CDRs, following every next Link
    Then every CDR's costs equal roamcert's recomputation from those Tariffs
    And every CDR starts a new charging period wherever its price changes by the clock
