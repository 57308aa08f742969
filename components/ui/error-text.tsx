/** A failed request, said where it happened (after `prefix`, e.g. "Could not load people"): announced to screen readers, nothing when there is no error. */
export function ErrorText({ error, prefix, className = "mt-2" }: { error: Error | null | undefined; prefix?: string; className?: string }) {
  if (!error) return null;
  return (
    <p role="alert" className={`text-sm text-red-600 ${className}`}>
      {prefix ? `${prefix}: ${error.message}` : error.message}
    </p>
  );
}
