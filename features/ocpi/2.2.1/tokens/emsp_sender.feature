@module:tokens @version:2.2.1 @role:EMSP @interface:SENDER
Feature: Tokens, with an eMSP under test as Sender
  roamcert, as CPO, pulls the eMSP's Tokens and asks it, in real time, whether Tokens it learnt from that list
  may charge.

  Background:
    Given the system under test holds the party role EMSP
    And roamcert is registered with the SUT
    And the SUT implements tokens as SENDER

  @id:OCPI-2.2.1-TC-TOK-EMSP-01
  Scenario: Pulling every Token by following the Link chain
    When roamcert pulls the eMSP's Tokens page by page
    Then every page is a valid paginated list of Tokens
    And the pages together hold X-Total-Count distinct Tokens
    When roamcert follows the Tokens in pages of one or two objects
    Then every page but the last links to the next page on the published endpoint, and the last page gives no Link
    And the small pages hold the Tokens X-Total-Count counts from the offset they start at
    When roamcert asks for 10000 Tokens in one page
    Then X-Limit states the most objects the SUT returns in one page

  @id:OCPI-2.2.1-TC-TOK-EMSP-07
  Scenario: limit and offset select a window of the Tokens
    Given roamcert knows the eMSP's Tokens
    When roamcert pulls 3 Tokens from offset 2
    Then the page holds the Tokens at positions 2 to 4 of the full list
    When roamcert asks for Tokens with a negative limit, then with an offset that is not a number
    Then each is answered in the OCPI format, without an HTTP error status

  @id:OCPI-2.2.1-TC-TOK-EMSP-02
  Scenario: date_from and date_to filter Tokens by last_updated
    Given roamcert knows the eMSP's Tokens
    When roamcert pulls Tokens with date_from and date_to filters
    Then only Tokens last updated inside each window are returned
    And the object last updated exactly at date_from is returned, and left out when that moment is date_to
    When roamcert asks for Tokens with a date_from, then a date_to, that is not a DateTime
    Then each is answered in the OCPI format, without an HTTP error status

  @id:OCPI-2.2.1-TC-TOK-EMSP-03
  Scenario: Real-time authorization of a valid Token
    Given roamcert knows the eMSP's Tokens
    When roamcert asks the eMSP to authorize one of its valid Tokens
    Then the eMSP answers ALLOWED with an AuthorizationInfo for that Token
    And the answer carries an authorization reference

  @id:OCPI-2.2.1-TC-TOK-EMSP-04
  Scenario: Real-time authorization at a given Location
    Given roamcert knows the eMSP's Tokens
    When roamcert asks the eMSP to authorize one of its valid Tokens at a Location and two of its EVSEs
    Then an ALLOWED answer names that Location and only EVSEs that were asked about

  @id:OCPI-2.2.1-TC-TOK-EMSP-05
  Scenario: Real-time authorization of an invalid Token
    Given roamcert knows the eMSP's Tokens
    When roamcert asks the eMSP to authorize one of its invalid Tokens
    Then the eMSP does not allow the Token to charge

  @id:OCPI-2.2.1-TC-TOK-EMSP-06
  Scenario: Real-time authorization of an unknown Token
    When roamcert asks the eMSP to authorize a Token it never issued
    Then the eMSP answers HTTP 404 with status code 2004 and no data
