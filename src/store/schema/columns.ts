import type { Generated } from "kysely";

/* The column types every table shares (store/schema.ts says how both databases store them). */

/** An integer key the database assigns. */
export type Id = Generated<number>;
/** 0 or 1. */
export type Flag = number;
/** An ISO-8601 UTC time, sortable as text. */
export type Time = string;
