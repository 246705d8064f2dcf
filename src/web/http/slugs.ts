/** Letter slugs as we create them; anything else is answered 404 without a database query. */
export const SLUG = /^[a-z0-9][a-z0-9-]{0,119}$/;
