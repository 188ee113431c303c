@module:locations @version:2.2.1 @role:NSP @interface:RECEIVER
Feature: Locations, with an NSP under test as Receiver
  roamcert, as CPO, pushes Locations, EVSEs and Connectors to the NSP and reads them back.

  Background:
    Given the system under test holds the party role NSP
    And roamcert is registered with the SUT
    And the SUT implements locations as RECEIVER

  @id:OCPI-2.2.1-TC-LOC-NSP-01
  Scenario: A pushed Location is stored and returned
    When roamcert pushes a complete Location
    Then the NSP returns the Location as pushed

  @id:OCPI-2.2.1-TC-LOC-NSP-02
  Scenario: A pushed EVSE updates its Location's last_updated
    Given roamcert has pushed a complete Location
    When roamcert pushes a new EVSE into it
    Then the NSP returns the EVSE as pushed
    And the Location's last_updated has moved forward

  @id:OCPI-2.2.1-TC-LOC-NSP-03
  Scenario: PATCH of an EVSE status and a Connector
    Given roamcert has pushed a complete Location
    When roamcert patches an EVSE's status and a Connector
    Then the patches are applied and the parents' last_updated moved forward

  @id:OCPI-2.2.1-TC-LOC-NSP-04
  Scenario: An invalid Location is refused and not stored
    When roamcert pushes a Location lacking required fields
    Then the NSP refuses it with status code 2001 and does not store it
    And a Location pushed to the URL of another id is refused

  @id:OCPI-2.2.1-TC-LOC-NSP-05
  Scenario: GET of an unknown pushed Location
    When roamcert gets a Location it never pushed
    Then the NSP reports it as unknown
