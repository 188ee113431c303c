"""Interoperability runs of roamcert against OCPI implementations that are not part of this project."""
