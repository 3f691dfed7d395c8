/**
 * A real modal dialog: the native `<dialog>` opened with `showModal()`, so
 * the browser makes the rest of the page inert (focus cannot leave it, screen
 * readers see only it) and Escape closes it. Focus goes to the element marked
 * `data-autofocus` (else the first control) and, on closing, back to where it
 * was, so a keyboard user continues where they were.
 */
import { useEffect, useRef, type ReactNode } from 'react';

interface Props {
  open: boolean;
  /** Closed by Escape or by the content (`onClose` sets `open` false). */
  onClose: () => void;
  /** The id of the dialog's heading, its accessible name. */
  labelledBy: string;
  testId: string;
  /** `alertdialog` for a question that needs an answer (leave?). */
  role?: 'dialog' | 'alertdialog';
  className?: string;
  children: ReactNode;
}

const FOCUSABLE = 'button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])';

export function Modal({ open, onClose, labelledBy, testId, role, className, children }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const returnTo = useRef<HTMLElement | null>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      returnTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
      const first = dialog.querySelector<HTMLElement>('[data-autofocus]') ?? dialog.querySelector<HTMLElement>(FOCUSABLE);
      first?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const onClosed = () => {
      closeRef.current();
      const back = returnTo.current;
      returnTo.current = null;
      if (back?.isConnected) back.focus();
    };
    dialog.addEventListener('close', onClosed);
    return () => dialog.removeEventListener('close', onClosed);
  }, []);

  return (
    <dialog ref={ref} className={`card modal${className ? ` ${className}` : ''}`} aria-labelledby={labelledBy} data-testid={testId} role={role}>
      {open && children}
    </dialog>
  );
}
