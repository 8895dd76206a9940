import type * as z from 'zod/mini';

/**
 * Turns a zod issue into a message that names the field and what it must be, without the value.
 * zod's own messages are not used: the ones for some issue kinds quote the input, and inputs here
 * are user conversations, tokens and keys.
 */
export function describeSchemaIssue(subject: string, path: readonly PropertyKey[], issue: z.core.$ZodIssue): string {
  const field = formatIssuePath(path);
  return `${subject}${field === '' ? '' : ` ${field}`} ${describeRequirement(issue)}`;
}

/** `agent_task.task_id`, `content[0].text`: a zod issue path as a reader would write it. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text;
}

function describeRequirement(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
    case 'invalid_value':
      return `must be ${issue.values.map((value) => JSON.stringify(value)).join(' or ')}`;
    case 'too_small':
      return issue.origin === 'string' && issue.minimum === 1 ? 'must not be empty' : 'is too small';
    case 'unrecognized_keys':
      return `has ${issue.keys.length === 1 ? 'an unknown key' : `${issue.keys.length} unknown keys`}`;
    case 'invalid_union':
      return 'has none of the allowed types';
    case 'custom':
      // Our own refinements' messages, written not to quote the input.
      return issue.message;
    default:
      return 'is invalid';
  }
}
