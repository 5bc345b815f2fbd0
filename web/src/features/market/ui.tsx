/** Small display pieces of the marketplace pages: tags, prices, the score bar, why an offer failed. */
import { Flex, Rate, Tag, Tooltip, Typography } from 'antd';
import { Link } from 'react-router';
import { RegionName } from '../../components/RegionName.tsx';
import { formatNumber } from '../../format.ts';
import { useI18n } from '../../i18n.ts';
import { formatCny, formatUnitPrice, scoreSegments, termValue } from './format.ts';
import { type Failure, type Offer, WEIGHT_TERMS, type WeightTerm, type Weights } from './types.ts';

export const TERM_COLORS: Record<WeightTerm, string> = {
  price: '#2563eb',
  latency: '#0891b2',
  green: '#16a34a',
  reputation: '#f59e0b',
  utilisation: '#7c3aed',
};

const ORDER_STATE_COLORS: Record<string, string> = {
  quote: 'default',
  reserved: 'processing',
  active: 'green',
  completed: 'success',
  cancelled: 'default',
  disputed: 'error',
};

const OFFER_STATUS_COLORS: Record<string, string> = { open: 'green', withdrawn: 'default', expired: 'orange' };
const DEMAND_STATUS_COLORS: Record<string, string> = { open: 'processing', ordered: 'green', closed: 'default' };

export function OrderStateTag({ state }: { state: string }) {
  const { te } = useI18n();
  return (
    <Tag color={ORDER_STATE_COLORS[state] ?? 'default'} data-testid={`order-state-${state}`}>
      {te('market.orderState', state)}
    </Tag>
  );
}

export function OfferStatusTag({ status }: { status: string }) {
  const { te } = useI18n();
  return (
    <Tag color={OFFER_STATUS_COLORS[status] ?? 'default'} data-testid={`offer-status-${status}`}>
      {te('market.offerStatus', status)}
    </Tag>
  );
}

export function DemandStatusTag({ status }: { status: string }) {
  const { te } = useI18n();
  return (
    <Tag color={DEMAND_STATUS_COLORS[status] ?? 'default'} data-testid={`demand-status-${status}`}>
      {te('market.demandStatus', status)}
    </Tag>
  );
}

/** ¥20.02/卡时 */
export function UnitPrice({ price, unit, strong }: { price: number | null | undefined; unit: string; strong?: boolean }) {
  const { te, lang } = useI18n();
  const text = formatUnitPrice(price, te('market.unit', unit), lang);
  return strong ? <Typography.Text strong>{text}</Typography.Text> : <>{text}</>;
}

export function Money({ amount }: { amount: number | null | undefined }) {
  const { lang } = useI18n();
  return <>{formatCny(amount, lang)}</>;
}

/** What an offer sells: the accelerator (or the kind) and memory, with its standard product. */
export function OfferWhat({ offer }: { offer: Offer }) {
  const { t, te } = useI18n();
  return (
    <Flex vertical gap={2}>
      <Flex gap={4} align="center" wrap>
        <Typography.Text strong>{offer.acceleratorModel ?? te('market.kind', offer.resourceKind)}</Typography.Text>
        {offer.memoryGb ? <Typography.Text type="secondary">{offer.memoryGb} GB</Typography.Text> : null}
      </Flex>
      <Flex gap={4} wrap>
        <Tag style={{ marginInlineEnd: 0 }}>{te('market.kind', offer.resourceKind)}</Tag>
        {offer.product ? (
          <Tag color="blue" style={{ marginInlineEnd: 0 }}>
            {t('market.standardProduct')}
          </Tag>
        ) : null}
        {offer.interconnect ? <Tag style={{ marginInlineEnd: 0 }}>{offer.interconnect}</Tag> : null}
      </Flex>
    </Flex>
  );
}

/** The facility (a link to its ledger page), its region and the supplier with its reputation. */
export function OfferWhere({ offer }: { offer: Offer }) {
  return (
    <Flex vertical gap={2}>
      <Link to={`/facilities/${encodeURIComponent(offer.facilityId)}`} data-testid={`offer-facility-${offer.id}`}>
        {offer.facilityName ?? offer.facilityId}
      </Link>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        <RegionName code={offer.regionCode} fallback={offer.regionName} tail={2} />
      </Typography.Text>
    </Flex>
  );
}

export function Supplier({ offer }: { offer: Offer }) {
  const { t } = useI18n();
  return (
    <Flex vertical gap={0}>
      <Typography.Text>{offer.supplierOrgName ?? offer.supplierOrgId}</Typography.Text>
      <Tooltip title={t('market.reputationHint', { value: offer.supplierReputation.toFixed(2), count: offer.supplierRatings })}>
        <span style={{ whiteSpace: 'nowrap' }}>
          <Rate disabled allowHalf value={Math.round(offer.supplierReputation * 2) / 2} style={{ fontSize: 11 }} />
          <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 4 }}>
            {offer.supplierReputation.toFixed(1)}
          </Typography.Text>
        </span>
      </Tooltip>
    </Flex>
  );
}

/** Free capacity over the window shown, of the total: "432 / 536 张". */
export function Capacity({ offer }: { offer: Offer }) {
  const { lang, te } = useI18n();
  const ratio = offer.quantityTotal > 0 ? offer.quantityAvailable / offer.quantityTotal : 0;
  return (
    <Flex vertical gap={2} align="flex-end" data-testid={`offer-free-${offer.id}`}>
      <span style={{ whiteSpace: 'nowrap' }}>
        <Typography.Text strong>{formatNumber(offer.quantityAvailable, lang)}</Typography.Text>
        <Typography.Text type="secondary"> / {formatNumber(offer.quantityTotal, lang)} {te('market.quantityUnit', offer.resourceKind)}</Typography.Text>
      </span>
      <span aria-hidden style={{ display: 'inline-block', width: 72, height: 4, borderRadius: 2, background: '#e5e7eb', overflow: 'hidden' }}>
        <span style={{ display: 'block', width: `${Math.max(0, Math.min(1, ratio)) * 100}%`, height: '100%', background: '#16a34a' }} />
      </span>
    </Flex>
  );
}

/**
 * The score as one bar: each of the five terms a coloured segment, the full length the best score
 * the demand's weights allow (Σ weights). The tooltip lists the terms.
 */
export function ScoreBar({ id, score, terms, weights }: { id: string; score: number; terms: Weights; weights: Weights }) {
  const { t, te } = useI18n();
  const segments = scoreSegments(terms, weights);
  const tip = (
    <div>
      {WEIGHT_TERMS.map((term) => (
        <div key={term}>
          <span style={{ display: 'inline-block', width: 8, height: 8, background: TERM_COLORS[term], marginInlineEnd: 6 }} />
          {te('market.term', term)}: {terms[term].toFixed(3)}
        </div>
      ))}
      <div style={{ marginTop: 4 }}>
        {t('market.score')}: {score.toFixed(3)}
      </div>
    </div>
  );
  return (
    <Tooltip title={tip}>
      <Flex align="center" gap={8} data-testid={`score-bar-${id}`}>
        <span style={{ display: 'flex', width: 110, height: 10, borderRadius: 5, background: '#eef0f3', overflow: 'hidden', flex: 'none' }}>
          {segments.map((s) => (
            <span key={s.term} data-testid={`term-${s.term}`} style={{ width: `${s.share * 100}%`, background: TERM_COLORS[s.term] }} />
          ))}
        </span>
        <Typography.Text strong style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }} data-testid={`score-${id}`}>
          {score.toFixed(3)}
        </Typography.Text>
      </Flex>
    </Tooltip>
  );
}

/** The explanation of one candidate's score: per term the weight, the normalised value and their product. */
export function ScoreTable({ id, score, terms, weights }: { id: string; score: number; terms: Weights; weights: Weights }) {
  const { t, te } = useI18n();
  const cell = { padding: '2px 12px', textAlign: 'right' as const, fontVariantNumeric: 'tabular-nums' };
  return (
    <table style={{ borderCollapse: 'collapse', fontSize: 13 }} data-testid={`score-table-${id}`}>
      <thead>
        <tr style={{ color: '#667085' }}>
          <th style={{ ...cell, textAlign: 'left' }}>{t('market.term')}</th>
          <th style={cell}>{t('market.weight')}</th>
          <th style={cell}>{t('market.termValue')}</th>
          <th style={cell}>{t('market.termProduct')}</th>
          <th style={{ ...cell, textAlign: 'left' }}>{t('market.termMeaning')}</th>
        </tr>
      </thead>
      <tbody>
        {WEIGHT_TERMS.map((term) => {
          const value = termValue(terms[term], weights[term]);
          return (
            <tr key={term} data-testid={`score-term-${term}`}>
              <td style={{ ...cell, textAlign: 'left' }}>
                <span style={{ display: 'inline-block', width: 8, height: 8, background: TERM_COLORS[term], marginInlineEnd: 6 }} />
                {te('market.term', term)}
              </td>
              <td style={cell}>{weights[term]}</td>
              <td style={cell}>{value === null ? '—' : value.toFixed(3)}</td>
              <td style={cell}>{terms[term].toFixed(3)}</td>
              <td style={{ ...cell, textAlign: 'left', color: '#667085' }}>{te('market.termFormula', term)}</td>
            </tr>
          );
        })}
        <tr style={{ borderTop: '1px solid #e5e7eb' }}>
          <td style={{ ...cell, textAlign: 'left' }}>
            <strong>{t('market.score')}</strong>
          </td>
          <td style={cell} />
          <td style={cell} />
          <td style={cell}>
            <strong>{score.toFixed(3)}</strong>
          </td>
          <td style={{ ...cell, textAlign: 'left', color: '#667085' }}>{t('market.scoreIsSum')}</td>
        </tr>
      </tbody>
    </table>
  );
}

const num = (x: number | string | undefined, digits = 2) => (typeof x === 'number' ? String(Math.round(x * 10 ** digits) / 10 ** digits) : (x ?? '—'));

/** Why an offer failed a hard constraint, in the user's language (the server's sentence in the tooltip). */
export function FailureText({ failure }: { failure: Failure }) {
  const { t, te } = useI18n();
  const { constraint, required, actual } = failure;
  let text: React.ReactNode;
  switch (constraint) {
    case 'model':
      text = t('market.fail.model', { required: te('market.kind', String(required ?? '')), actual: te('market.kind', String(actual ?? '')) });
      break;
    case 'tflops':
      text = t('market.fail.tflops', { required: num(required), actual: actual === 'unknown' ? t('market.unknown') : num(actual) });
      break;
    case 'count':
      text = t('market.fail.count', { required: num(required, 0), actual: num(actual, 0) });
      break;
    case 'memory':
      text = t('market.fail.memory', { required: num(required), actual: actual === 'unknown' ? t('market.unknown') : num(actual) });
      break;
    case 'latency':
      text = t('market.fail.latency', { required: num(required, 1), actual: num(actual, 1) });
      break;
    case 'price':
      text = t('market.fail.price', { required: num(required), actual: num(actual) });
      break;
    case 'region':
    case 'residency':
      text = (
        <>
          {t(constraint === 'region' ? 'market.fail.region' : 'market.fail.residency')} <RegionName code={typeof actual === 'string' ? actual : null} tail={2} />
        </>
      );
      break;
    case 'window':
      text = t('market.fail.window');
      break;
    default:
      text = failure.detail;
  }
  return (
    <Tooltip title={failure.detail}>
      <span data-testid={`failure-${constraint}`}>{text}</span>
    </Tooltip>
  );
}

export function ConstraintTag({ constraint, count }: { constraint: string; count?: number }) {
  const { te } = useI18n();
  return (
    <Tag color="orange" data-testid={`constraint-${constraint}`} style={{ marginInlineEnd: 0 }}>
      {te('market.constraint', constraint)}
      {count !== undefined ? ` · ${count}` : ''}
    </Tag>
  );
}
