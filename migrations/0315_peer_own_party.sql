-- The hosted party an OCPI 2.1.1 connection is with (credentials.md of 2.1.1 names one party per connection), as the
-- operator chose it at invite or connect: {"country_code": "NL", "party_id": "ABC"}; null: the first hosted party on
-- the side across from the peer (docs/ocpi-2.1.1.md, "Credentials").
ALTER TABLE peers ADD COLUMN own_party TEXT;
