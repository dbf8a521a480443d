// A live update re-renders the page; what the user was typing into one of its forms (an
// amount to draw, a comment) must survive that, or the next click submits an empty form.
// Edits are remembered as they happen, so one made while a re-render is on its way is
// not lost when the new page replaces the old.

type Field = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

function isField(target: EventTarget | null): target is Field {
  if (target instanceof HTMLInputElement) return target.name !== '' && !['file', 'hidden', 'submit', 'button'].includes(target.type);
  return (target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement) && target.name !== '';
}

function isToggle(field: Field): field is HTMLInputElement {
  return field instanceof HTMLInputElement && (field.type === 'checkbox' || field.type === 'radio');
}

/** A field's place on the page: the position of its form and its name. */
function keyOf(view: HTMLElement, field: Field): string | undefined {
  const form = field.form;
  if (form === null) return undefined;
  return `${Array.from(view.querySelectorAll('form')).indexOf(form)}:${field.name}`;
}

export interface FormMemory {
  /** Puts every remembered edit back into the re-rendered page, and the focus where it was. */
  restore(): void;
  /** Forgets everything (another page was opened). */
  clear(): void;
}

export function rememberFormEdits(view: HTMLElement): FormMemory {
  const edits = new Map<string, string>();
  let focused: string | undefined;
  const record = (event: Event): void => {
    if (!isField(event.target)) return;
    const key = keyOf(view, event.target);
    if (key !== undefined) edits.set(key, isToggle(event.target) ? String(event.target.checked) : event.target.value);
  };
  view.addEventListener('input', record);
  view.addEventListener('change', record);
  view.addEventListener('focusin', (event) => {
    focused = isField(event.target) ? keyOf(view, event.target) : undefined;
  });
  // A submitted form's values have done their work: the page that follows starts clean.
  view.addEventListener(
    'submit',
    (event) => {
      const index = Array.from(view.querySelectorAll('form')).indexOf(event.target as HTMLFormElement);
      for (const key of [...edits.keys()]) if (key.startsWith(`${index}:`)) edits.delete(key);
    },
    true,
  );
  return {
    restore() {
      view.querySelectorAll<Field>('input[name], select[name], textarea[name]').forEach((field) => {
        if (!isField(field)) return;
        const key = keyOf(view, field);
        if (key === undefined) return;
        const value = edits.get(key);
        if (value !== undefined) {
          if (isToggle(field)) field.checked = value === 'true';
          else field.value = value;
        }
        if (key === focused && document.activeElement !== field) field.focus();
      });
    },
    clear() {
      edits.clear();
      focused = undefined;
    },
  };
}
