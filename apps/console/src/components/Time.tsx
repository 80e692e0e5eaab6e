import { formatTime } from '../format/time';
import { usePreferences } from '../i18n/preferences';

/** A time in the chosen zone, the exact instant in its `dateTime`. */
export function Time({ iso }: { iso: string | null | undefined }) {
  const { timeZone } = usePreferences();
  if (!iso) return <span>—</span>;
  return (
    <time dateTime={iso} title={iso}>
      {formatTime(iso, timeZone)}
    </time>
  );
}
