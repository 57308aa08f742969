/** A failed request, said where it happened: announced to screen readers, nothing when there is no error. */
export function ErrorText({ error, className = "mt-2" }: { error: Error | null | undefined; className?: string }) {
  if (!error) return null;
  return (
    <p role="alert" className={`text-sm text-red-600 ${className}`}>
      {error.message}
    </p>
  );
}
