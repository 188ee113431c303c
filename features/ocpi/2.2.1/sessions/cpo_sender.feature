@module:sessions @version:2.2.1 @role:CPO @interface:SENDER
Feature: Sessions, with a CPO under test as Sender
  roamcert, as eMSP, pulls the CPO's Sessions and checks them against the CPO's Locations.

  Background:
    Given the system under test holds the party role CPO
    And roamcert is registered with the SUT
    And the SUT implements sessions as SENDER

  @id:OCPI-2.2.1-TC-SES-CPO-01
  Scenario: Pulling every Session by following the Link chain
    When roamcert pulls the CPO's Sessions page by page
    Then every page is a valid paginated list of Sessions
    And the pages together hold X-Total-Count distinct Sessions
    And every Session's status agrees with its end
    And every Session's charging periods are in time order and none starts after the Session ended
    When roamcert follows the Sessions in pages of one or two objects
    Then every page but the last links to the next page on the published endpoint, and the last page gives no Link
    And the small pages hold the Sessions X-Total-Count counts from the offset they start at
    When roamcert asks for 10000 Sessions in one page
    Then X-Limit states the most objects the SUT returns in one page

  @id:OCPI-2.2.1-TC-SES-CPO-04
  Scenario: limit and offset select a window of the Sessions
    Given roamcert knows the CPO's full list of Sessions
    When roamcert pulls 3 Sessions from offset 2
    Then the page holds the Sessions at positions 2 to 4 of the full list
    When roamcert asks for Sessions with a negative limit, then with an offset that is not a number
    Then each is answered in the OCPI format, without an HTTP error status

  @id:OCPI-2.2.1-TC-SES-CPO-02
  Scenario: date_from and date_to filter Sessions by last_updated
    Given roamcert knows the CPO's full list of Sessions
    When roamcert pulls Sessions with date_from and date_to filters
    Then only Sessions last updated inside each window are returned
    And the object last updated exactly at date_from is returned, and left out when that moment is date_to
    When roamcert asks for Sessions with a date_from, then a date_to, that is not a DateTime
    Then each is answered in the OCPI format, without an HTTP error status

  @id:OCPI-2.2.1-TC-SES-CPO-03
  Scenario: Every Session takes place at a Connector of the CPO's Locations
    Given the SUT implements locations as SENDER
    And roamcert knows the CPO's full list of Locations
    When roamcert checks where each of the CPO's Sessions takes place
    Then every Session names a Location, EVSE and Connector the CPO serves
