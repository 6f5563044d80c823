import { Column, ColumnOptions } from 'typeorm';

/** Shared column shapes, so that SQLite and MySQL get the same types from every entity. */
export const IdColumn = (name: string, options: ColumnOptions = {}): PropertyDecorator =>
  Column({ name, type: 'varchar', length: 40, ...options });

/** Millisecond timestamps; set by the services, not by database defaults, so both drivers agree. */
export const TimestampColumn = (name: string, options: ColumnOptions = {}): PropertyDecorator =>
  Column({ name, type: 'datetime', precision: 3, ...options });

/** JSON arrays and objects, stored as text on both drivers. */
export const JsonColumn = (name: string, options: ColumnOptions = {}): PropertyDecorator =>
  Column({ name, type: 'simple-json', ...options });
