-- Hand-written: R-APP-10's new national parameter maxPublicityRounds (default 3) for a database whose
-- national profile was stored before it existed; without it no policy resolves (the parameter is
-- required). A value already set is kept. The seed does the same for a database it seeds.
UPDATE "policy_profile"
   SET "params" = '{"maxPublicityRounds": 3}'::jsonb || "params"::jsonb
 WHERE "jurisdiction" = '';
