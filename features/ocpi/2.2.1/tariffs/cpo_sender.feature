@module:tariffs @version:2.2.1 @role:CPO @interface:SENDER
Feature: Tariffs, with a CPO under test as Sender
  roamcert, as eMSP, pulls the CPO's Tariffs and checks that its Connectors name only Tariffs it serves.

  Background:
    Given the system under test holds the party role CPO
    And roamcert is registered with the SUT
    And the SUT implements tariffs as SENDER

  @id:OCPI-2.2.1-TC-TAR-CPO-01
  Scenario: Pulling every Tariff by following the Link chain
    When roamcert pulls the CPO's Tariffs page by page
    Then every page is a valid paginated list of Tariffs
    And the pages together hold X-Total-Count distinct Tariffs
    And every Tariff's validity ends after it starts and its min_price is not above its max_price
    When roamcert follows the Tariffs in pages of one or two objects
    Then every page but the last links to the next page on the published endpoint, and the last page gives no Link
    And the small pages hold the Tariffs X-Total-Count counts from the offset they start at
    When roamcert asks for 10000 Tariffs in one page
    Then X-Limit states the most objects the SUT returns in one page

  @id:OCPI-2.2.1-TC-TAR-CPO-04
  Scenario: limit and offset select a window of the Tariffs
    Given roamcert knows the CPO's full list of Tariffs
    When roamcert pulls 3 Tariffs from offset 2
    Then the page holds the Tariffs at positions 2 to 4 of the full list
    When roamcert asks for Tariffs with a negative limit, then with an offset that is not a number
    Then each is answered in the OCPI format, without an HTTP error status

  @id:OCPI-2.2.1-TC-TAR-CPO-02
  Scenario: date_from and date_to filter Tariffs by last_updated
    Given roamcert knows the CPO's full list of Tariffs
    When roamcert pulls Tariffs with date_from and date_to filters
    Then only Tariffs last updated inside each window are returned
    And the object last updated exactly at date_from is returned, and left out when that moment is date_to
    When roamcert asks for Tariffs with a date_from, then a date_to, that is not a DateTime
    Then each is answered in the OCPI format, without an HTTP error status

  @id:OCPI-2.2.1-TC-TAR-CPO-03
  Scenario: The CPO's Connectors name only Tariffs it serves
    Given the SUT implements locations as SENDER
    And roamcert knows the CPO's full list of Locations
    When roamcert looks up every Tariff the CPO's Connectors name
    Then each of those Tariffs is served by the CPO's Tariffs Sender
