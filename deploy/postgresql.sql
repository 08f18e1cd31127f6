-- The dashboard's PostgreSQL role and database, for one server or several sharing it
-- (deploy/README.md).  Run once as the postgres superuser, with a password of your own:
--   sudo -u postgres psql -v role=zi -v db=zi -v password='...' -f deploy/postgresql.sql
-- then ZI_DATABASE_URL=postgresql+psycopg://zi:...@HOST:5432/zi in /etc/zi-dashboard.env.
-- The dashboard creates and migrates its own tables on first start (one server at a time, under
-- a lock), as the owner of the database.  tests/test_deploy.py runs this file.
\set ON_ERROR_STOP on

-- Each dashboard server keeps up to 15 connections (SQLAlchemy's pool: 5, and 10 more at a
-- peak); two servers, the command line and a backup stay well under 50.
CREATE ROLE :"role" LOGIN PASSWORD :'password' CONNECTION LIMIT 50;
CREATE DATABASE :"db" OWNER :"role" ENCODING 'UTF8' TEMPLATE template0;
-- Nobody else may connect to it (the owner may)
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
