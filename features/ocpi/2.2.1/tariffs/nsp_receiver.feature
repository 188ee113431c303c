@module:tariffs @version:2.2.1 @role:NSP @interface:RECEIVER
Feature: Tariffs, with an NSP under test as Receiver
  roamcert, as CPO, pushes its Tariffs to the NSP, updates and deletes them, and reads them back.

  Background:
    Given the system under test holds the party role NSP
    And roamcert is registered with the SUT
    And the SUT implements tariffs as RECEIVER

  @id:OCPI-2.2.1-TC-TAR-NSP-01
  Scenario: A pushed Tariff and its update are stored and returned
    When roamcert pushes a Tariff, then a dearer version of it
    Then the NSP returns the Tariff as pushed each time

  @id:OCPI-2.2.1-TC-TAR-NSP-02
  Scenario: A deleted Tariff is gone
    Given roamcert has pushed a Tariff
    When roamcert deletes the Tariff
    Then the NSP no longer returns the Tariff

  @id:OCPI-2.2.1-TC-TAR-NSP-03
  Scenario: An invalid Tariff is refused and not stored
    When roamcert pushes a Tariff lacking required fields
    Then the NSP refuses the Tariff with status code 2001 and does not store it
    And a Tariff pushed to the URL of another id is refused
