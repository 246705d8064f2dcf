/** How long an update to a letter (shown on its page, in its feed, and mailed on request) may be. */
export const UPDATE_LIMITS = { title: 200, body: 20_000 } as const;
