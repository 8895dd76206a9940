/** A body that looks like the start of JSON and is not: what the `garbage` fault sends. */
export const GARBAGE_TEXT = '{"this is": not json';
