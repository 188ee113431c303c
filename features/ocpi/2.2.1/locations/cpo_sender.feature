@module:locations @version:2.2.1 @role:CPO @interface:SENDER
Feature: Locations, with a CPO under test as Sender
  roamcert, as eMSP, pulls the CPO's Locations.

  Background:
    Given the system under test holds the party role CPO
    And roamcert is registered with the SUT
    And the SUT implements locations as SENDER

  @id:OCPI-2.2.1-TC-LOC-CPO-01
  Scenario: Pulling every Location by following the Link chain
    When roamcert pulls all Locations, following every next Link
    Then every page is a valid paginated list of Locations
    And the pages together hold X-Total-Count distinct Locations
    When roamcert follows the Locations in pages of one or two objects
    Then every page but the last links to the next page on the published endpoint, and the last page gives no Link
    And the small pages hold the Locations X-Total-Count counts from the offset they start at
    When roamcert asks for 10000 Locations in one page
    Then X-Limit states the most objects the SUT returns in one page

  @id:OCPI-2.2.1-TC-LOC-CPO-02
  Scenario: limit and offset select a window of the Locations
    Given roamcert knows the CPO's full list of Locations
    When roamcert pulls 3 Locations from offset 2
    Then the page holds the Locations at positions 2 to 4 of the full list
    When roamcert asks for Locations with a negative limit, then with an offset that is not a number
    Then each is answered in the OCPI format, without an HTTP error status

  @id:OCPI-2.2.1-TC-LOC-CPO-03
  Scenario: date_from and date_to filter Locations by last_updated
    Given roamcert knows the CPO's full list of Locations
    When roamcert pulls Locations with date_from and date_to filters
    Then only Locations last updated inside each window are returned
    And the object last updated exactly at date_from is returned, and left out when that moment is date_to
    When roamcert asks for Locations with a date_from, then a date_to, that is not a DateTime
    Then each is answered in the OCPI format, without an HTTP error status

  @id:OCPI-2.2.1-TC-LOC-CPO-04
  Scenario: GET of a single Location, EVSE and Connector
    Given roamcert knows the CPO's full list of Locations
    When roamcert gets one Location, one of its EVSEs and one of its Connectors by id
    Then each answer is the object asked for

  @id:OCPI-2.2.1-TC-LOC-CPO-05
  Scenario: GET of unknown Location, EVSE and Connector ids
    Given roamcert knows the CPO's full list of Locations
    When roamcert gets a Location, an EVSE and a Connector that do not exist
    Then the CPO reports each as unknown
