import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="flex min-h-full flex-col items-center justify-center gap-3 p-8 text-center">
      <p className="text-5xl font-bold text-slate-600">403</p>
      <h1 className="text-xl font-semibold">Administrators only</h1>
      <p className="text-slate-600">Your account cannot open the admin console.</p>
      <Link href="/chat" className="text-indigo-600 dark:text-indigo-300 underline">
        Back to the chat
      </Link>
    </main>
  );
}
