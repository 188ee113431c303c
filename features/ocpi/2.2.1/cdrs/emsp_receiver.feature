@module:cdrs @version:2.2.1 @role:EMSP @interface:RECEIVER
Feature: CDRs, with an eMSP under test as Receiver
  roamcert, as CPO, posts a CDR priced from its own Tariffs and reads it back from the URL the eMSP's
  answer names in its Location header.

  Background:
    Given the system under test holds the party role EMSP
    And roamcert is registered with the SUT
    And the SUT implements cdrs as RECEIVER

  @id:OCPI-2.2.1-TC-CDR-EMSP-01
  Scenario: A posted CDR is stored at the URL its Location header names
    When roamcert posts a CDR priced from its own Tariffs
    Then the eMSP answers with a Location header giving the URL of the stored CDR
    And a GET of that URL returns the CDR as posted
    And the eMSP answered the new CDR with HTTP 201 Created

  @id:OCPI-2.2.1-TC-CDR-EMSP-02
  Scenario: An invalid CDR is refused and not stored
    When roamcert posts a CDR lacking required fields
    Then the eMSP refuses the CDR with status code 2001 and does not store it
