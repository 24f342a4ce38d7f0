-- rows grouprelay wrote into Seafile's ccnet_db while it wrote data.tar.gz
INSERT INTO `Group` (group_id, group_name, creator_name, timestamp, type, parent_group_id) VALUES (2, 'marketing', 'admin@example.org', 1796466120025476, NULL, 0);
INSERT INTO `Group` (group_id, group_name, creator_name, timestamp, type, parent_group_id) VALUES (3, 'ops', 'admin@example.org', 1796466120761120, NULL, 0);
INSERT INTO `Group` (group_id, group_name, creator_name, timestamp, type, parent_group_id) VALUES (4, 'engineering', 'admin@example.org', 1796466121171262, NULL, 0);
INSERT INTO GroupUser (id, group_id, user_name, is_staff) VALUES (1, 2, 'admin@example.org', 1);
INSERT INTO GroupUser (id, group_id, user_name, is_staff) VALUES (3, 2, 'carol@example.org', 0);
INSERT INTO GroupUser (id, group_id, user_name, is_staff) VALUES (4, 2, 'bob@example.org', 0);
INSERT INTO GroupUser (id, group_id, user_name, is_staff) VALUES (5, 3, 'admin@example.org', 1);
INSERT INTO GroupUser (id, group_id, user_name, is_staff) VALUES (6, 3, 'carol@example.org', 0);
INSERT INTO GroupUser (id, group_id, user_name, is_staff) VALUES (7, 4, 'admin@example.org', 1);
INSERT INTO GroupUser (id, group_id, user_name, is_staff) VALUES (9, 4, 'alice@example.org', 0);
INSERT INTO grouprelay_group_link (group_uuid, group_id, linked_at) VALUES ('511bb45e-6659-4406-832c-1e1802ed8e49', 4, 1796466121171643);
INSERT INTO grouprelay_group_link (group_uuid, group_id, linked_at) VALUES ('53ffe8d2-23eb-4744-8021-2b371156e7c2', 2, 1796466120032601);
INSERT INTO grouprelay_group_link (group_uuid, group_id, linked_at) VALUES ('f4195225-6786-44c1-a06f-3570fe807910', 3, 1796466120764887);
