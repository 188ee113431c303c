@module:cdrs @version:2.2.1 @role:CPO @interface:SENDER
Feature: CDRs, with a CPO under test as Sender
  roamcert, as eMSP, pulls the CPO's CDRs and checks each against its own charging periods, the CDR it
  credits, the Session it was made for and the Location where it took place.

  Background:
    Given the system under test holds the party role CPO
    And roamcert is registered with the SUT
    And the SUT implements cdrs as SENDER

  @id:OCPI-2.2.1-TC-CDR-CPO-02
  Scenario: Pulling every CDR by following the Link chain
    When roamcert pulls the CPO's CDRs page by page
    Then every page is a valid paginated list of CDRs
    And the pages together hold X-Total-Count distinct CDRs
    And every CDR's totals agree with its charging periods, its start and its end
    And no CDR's charging period carries a dimension only Sessions may use
    And no two of the CPO's CDRs share an id
    When roamcert follows the CDRs in pages of one or two objects
    Then every page but the last links to the next page on the published endpoint, and the last page gives no Link
    And the small pages hold the CDRs X-Total-Count counts from the offset they start at
    When roamcert asks for 10000 CDRs in one page
    Then X-Limit states the most objects the SUT returns in one page

  @id:OCPI-2.2.1-TC-CDR-CPO-07
  Scenario: limit and offset select a window of the CDRs
    Given roamcert knows the CPO's full list of CDRs
    When roamcert pulls 3 CDRs from offset 2
    Then the page holds the CDRs at positions 2 to 4 of the full list
    When roamcert asks for CDRs with a negative limit, then with an offset that is not a number
    Then each is answered in the OCPI format, without an HTTP error status

  @id:OCPI-2.2.1-TC-CDR-CPO-03
  Scenario: date_from and date_to filter CDRs by last_updated
    Given roamcert knows the CPO's full list of CDRs
    When roamcert pulls CDRs with date_from and date_to filters
    Then only CDRs last updated inside each window are returned
    And the object last updated exactly at date_from is returned, and left out when that moment is date_to
    When roamcert asks for CDRs with a date_from, then a date_to, that is not a DateTime
    Then each is answered in the OCPI format, without an HTTP error status

  @id:OCPI-2.2.1-TC-CDR-CPO-04
  Scenario: Every CDR belongs to a Session the CPO serves
    Given the SUT implements sessions as SENDER
    And roamcert knows the CPO's full list of Sessions
    When roamcert matches each of the CPO's CDRs to its Session
    Then every CDR names a served Session, started with the same token at the same Connector

  @id:OCPI-2.2.1-TC-CDR-CPO-05
  Scenario: Every CDR at a served Location names an EVSE and Connector of it
    Given the SUT implements locations as SENDER
    And roamcert knows the CPO's full list of Locations
    When roamcert checks where each of the CPO's CDRs took place
    Then every CDR at a served Location names an EVSE and a Connector of that Location

  @id:OCPI-2.2.1-TC-CDR-CPO-06
  Scenario: Credit CDRs credit a served CDR
    When roamcert pulls the CPO's CDRs and looks up the CDR each Credit CDR credits
    Then every Credit CDR credits a served CDR, repeating its data with the negative of its total cost
