import { Tooltip } from 'antd';

import { formatFen, formatYuan } from '../format/money';
import { usePreferences } from '../i18n/preferences';

/** An amount in yuan; the exact fen the API holds show on hover. */
export function Money({ fen }: { fen: number }) {
  const { t } = usePreferences();
  return (
    <Tooltip title={formatFen(fen, t('fen'))}>
      <span className="money" data-fen={fen}>
        {formatYuan(fen)}
      </span>
    </Tooltip>
  );
}
