import { tick } from 'svelte';

/** After a failed submit: moves the focus to the first field marked invalid, if any. */
export async function focusFirstInvalid(form: HTMLElement | undefined): Promise<void> {
  await tick();
  const field = form?.querySelector<HTMLElement>('[aria-invalid="true"]');
  field?.focus();
}

/** Moves the focus to an element that replaced the one that had it (a heading, a result panel). */
export async function focusElement(element: () => HTMLElement | undefined): Promise<void> {
  await tick();
  element()?.focus();
}
