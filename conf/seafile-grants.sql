-- The least privileges of the database account that grouprelay's SQL target uses (seafile.sql.user), for MariaDB
-- (and MySQL). Every statement grouprelay runs is listed in docs/admin.md, "Seafile database grants".
--
-- Replace 'grouprelay'@'%' by your account and the host it connects from, and ccnet_db, seahub_db and seafile_db by
-- your database names if they differ (these are Seafile's defaults). Create the account first, for example
--   CREATE USER 'grouprelay'@'10.0.0.5' IDENTIFIED BY '...';
-- then run this file as a database administrator: mariadb -u root -p < conf/seafile-grants.sql
-- SqlTargetLeastGrantsIT runs the SQL target's whole test suite as an account that has exactly these grants.

-- ccnet_db: Seafile's groups, their members and the accounts
GRANT SELECT, INSERT, UPDATE, DELETE ON ccnet_db.`Group` TO 'grouprelay'@'%';
GRANT SELECT, INSERT, UPDATE, DELETE ON ccnet_db.GroupUser TO 'grouprelay'@'%';
GRANT SELECT, DELETE ON ccnet_db.GroupStructure TO 'grouprelay'@'%';
GRANT SELECT ON ccnet_db.EmailUser TO 'grouprelay'@'%';
GRANT SELECT ON ccnet_db.LDAPUsers TO 'grouprelay'@'%';
-- grouprelay's own table of links (directory entryUUID -> Seafile group id), created at every start if missing
GRANT CREATE, SELECT, INSERT, DELETE ON ccnet_db.grouprelay_group_link TO 'grouprelay'@'%';

-- seahub_db: user mapping (social-auth and contact-email rules), and the share permissions of a deleted group
GRANT SELECT ON seahub_db.social_auth_usersocialauth TO 'grouprelay'@'%';
GRANT SELECT ON seahub_db.profile_profile TO 'grouprelay'@'%';
GRANT SELECT, DELETE ON seahub_db.share_extragroupssharepermission TO 'grouprelay'@'%';

-- seafile_db: the library shares of a deleted group, and those a removed member made to the group
GRANT SELECT, DELETE ON seafile_db.RepoGroup TO 'grouprelay'@'%';
