-- Seafile 12 seafile DB: seafile-server scripts/sql/mysql/seafile.sql (12.0, dfe83679).

CREATE TABLE IF NOT EXISTS RepoGroup (
  id BIGINT NOT NULL PRIMARY KEY AUTO_INCREMENT,
  repo_id CHAR(37),
  group_id INTEGER,
  user_name VARCHAR(255),
  permission CHAR(15),
  UNIQUE INDEX(group_id, repo_id),
  INDEX (repo_id), INDEX (user_name)
) ENGINE=INNODB;
