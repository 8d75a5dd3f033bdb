import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyDdl } from './classify-ddl.js';

test('MariaDB DDL: command and schema-qualified object like pgaudit', () => {
  const c = (sql: string, db: string | null = 'appdb') => {
    const v = classifyDdl(sql, db);
    return v ? `${v.command}|${v.object}` : null;
  };
  assert.equal(c('CREATE TABLE appdb.accounts (id INT PRIMARY KEY, name VARCHAR(100), note TEXT)', null), 'CREATE TABLE|appdb.accounts');
  assert.equal(c('CREATE TABLE IF NOT EXISTS nodedb.t1 (id INT, v TEXT)', 'mysql'), 'CREATE TABLE|nodedb.t1');
  assert.equal(c('create table t2(id int)'), 'CREATE TABLE|appdb.t2');
  assert.equal(c('CREATE OR REPLACE TEMPORARY TABLE `we,ird`.`t 1` (x int)'), 'CREATE TABLE|we,ird.t 1');
  assert.equal(c('ALTER ONLINE TABLE accounts ADD COLUMN c INT'), 'ALTER TABLE|appdb.accounts');
  assert.equal(c('DROP TABLE IF EXISTS appdb.accounts'), 'DROP TABLE|appdb.accounts');
  assert.equal(c('CREATE UNIQUE INDEX ix ON accounts (name)'), 'CREATE INDEX|appdb.ix');
  assert.equal(c("CREATE DEFINER='root'@'%' SQL SECURITY INVOKER VIEW v1 AS SELECT 1"), 'CREATE VIEW|appdb.v1');
  assert.equal(c('DROP DATABASE appdb'), 'DROP DATABASE|appdb');
  assert.equal(c('CREATE DATABASE appdb CHARACTER SET utf8mb4', null), 'CREATE DATABASE|appdb');
  assert.equal(c('RENAME TABLE a TO b'), 'RENAME TABLE|appdb.a');
  assert.equal(c('TRUNCATE accounts'), 'TRUNCATE TABLE|appdb.accounts');
  assert.equal(c('/* orm */ DROP VIEW v1'), 'DROP VIEW|appdb.v1');
  assert.equal(c('CREATE USER x'), null);
  assert.equal(c('SELECT 1'), null);
  assert.equal(c('INSERT INTO accounts VALUES (1)'), null);
});
