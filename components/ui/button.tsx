"use client";

/** The app's button: primary, secondary or danger; at least 32 px tall (touch targets). */
export function Button({
  variant = "secondary",
  className = "",
  ...props
}: React.ButtonHTMLAttributes<HTMLButtonElement> & { variant?: "primary" | "secondary" | "danger" }) {
  const styles = {
    primary: "bg-indigo-600 text-white hover:bg-indigo-700",
    secondary: "bg-surface text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50",
    // In dark mode the red scale is light (app/globals.css): dark text keeps the contrast.
    danger: "bg-red-600 text-white hover:bg-red-700 dark:text-black",
  }[variant];
  return (
    <button
      type="button"
      {...props}
      className={`min-h-8 rounded-lg px-3 py-1.5 text-sm font-medium focus:ring-2 focus:ring-indigo-300 focus:outline-none disabled:opacity-50 ${styles} ${className}`}
    />
  );
}
