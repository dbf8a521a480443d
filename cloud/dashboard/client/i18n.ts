/**
 * The dashboard's two languages, chosen by the user (kept in localStorage), and every
 * number, amount and time formatted with Intl for that locale, times in the site's zone.
 */
export type Locale = 'en' | 'zh-CN';
export const LOCALES: readonly Locale[] = ['en', 'zh-CN'];

const EN = {
  appTitle: 'Collateral monitor',
  signIn: 'Sign in',
  email: 'Email',
  password: 'Password',
  signOut: 'Sign out',
  language: 'Language',
  live: 'live',
  offline: 'offline',
  stale: 'stale',
  navFacilities: 'Facilities',
  navCases: 'Cases',
  navLots: 'Lots',
  navReleases: 'Release orders',
  navPrices: 'Prices',
  navAudit: 'Audit',
  navCredit: 'Credit',
  nothing: 'Nothing to show',
  loading: 'Loading…',
  limit: 'Limit',
  collateralValue: 'Collateral value',
  lendingValue: 'Lending value',
  drawingPower: 'Drawing power',
  outstanding: 'Outstanding',
  available: 'Available',
  ltv: 'LTV',
  frozen: 'Drawdowns frozen',
  active: 'active',
  open: 'Open',
  breakdown: 'How drawing power adds up',
  receipt: 'Receipt',
  lot: 'Lot',
  lotState: 'Lot state',
  commodity: 'Commodity',
  quantity: 'Verified quantity',
  price: 'Price',
  haircut: 'Haircut',
  reserve: 'Reserve',
  advanceRate: 'Advance rate',
  advanceValue: 'Advance value',
  totals: 'Total',
  availableFormula: 'Available = min(limit, Σ lending value × advance rate) − outstanding',
  draw: 'Draw',
  repay: 'Repay',
  amount: 'Amount',
  note: 'Note',
  drawn: 'Drawn',
  repaid: 'Repaid',
  ledger: 'Ledger',
  interest: 'Interest',
  interestToDate: 'Interest accrued this month',
  statement: 'Monthly statement',
  download: 'Download',
  month: 'Month',
  marginCalls: 'Margin calls',
  holds: 'Freeze holds',
  liftHold: 'Lift hold',
  caseId: 'Case',
  requestRelease: 'Request release',
  releaseQuantity: 'Quantity to release',
  requested: 'Release requested',
  status: 'Status',
  severity: 'Severity',
  all: 'All',
  reference: 'Ref.',
  title: 'Title',
  assignee: 'Assignee',
  occurrences: 'Occurrences',
  escalation: 'Escalation',
  overdue: 'overdue',
  due: 'Due',
  opened: 'Opened',
  finding: 'Finding',
  acknowledge: 'Acknowledge',
  investigate: 'Investigate',
  assign: 'Assign',
  resolve: 'Resolve',
  comment: 'Comment',
  photos: 'Photos (JPEG or PNG, at most 8 MB each)',
  photoOf: 'Photo {n} by {who}',
  photoTooLarge: '{name} is larger than 8 MB',
  photoWrongType: '{name} is not a JPEG or PNG photo',
  navInspections: 'Inspections',
  inspection: 'Inspection',
  scheduledFor: 'Due',
  counted: 'Counted',
  site: 'Site',
  sendBranch: 'Send the branch today',
  verifiedQuantity: 'Verified',
  variance: 'Variance',
  withinTolerance: 'within tolerance',
  submitCounts: 'Submit counts',
  countsBlind: 'Count what is there; the system’s figures are shown after you submit.',
  caseOpened: 'case opened',
  liftRequested: 'Lift requested by {who} on {when} (case {ref}); a second risk officer must approve it.',
  approveLift: 'Approve lift',
  requestLift: 'Request lift',
  resolvedCase: 'Resolved case',
  interestPosted: 'interest posted',
  addComment: 'Add comment',
  photo: 'Photo (evidence)',
  comments: 'Comments',
  evidence: 'Evidence',
  reason: 'Reason',
  expectedTags: 'expected',
  presentTags: 'present',
  missingTags: 'missing',
  lastVerified: 'Last verified',
  lastEvent: 'Last event',
  ago: '{n} min ago',
  justNow: 'just now',
  newCase: 'New case: {title}',
  approve: 'Approve',
  refuse: 'Refuse',
  importCsv: 'Import price CSV',
  upload: 'Upload',
  asOf: 'as of {when}',
  haircutBand: 'haircut band',
  verify: 'Verify chain',
  verified: 'Chain verified: {n} entries',
  broken: 'Chain broken at {seq}',
  action: 'Action',
  actor: 'Actor',
  when: 'When',
  entity: 'Entity',
  reports: 'Daily report',
  done: 'Done',
  back: 'Back',
  back_to_cases: 'All cases',
  sessionEnded: 'Your session ended{reason}. Please sign in again.',
} as const;

export type MessageKey = keyof typeof EN;

const ZH: Record<MessageKey, string> = {
  appTitle: '押品监控',
  signIn: '登录',
  email: '电子邮箱',
  password: '密码',
  signOut: '退出登录',
  language: '语言',
  live: '实时',
  offline: '离线',
  stale: '已过时',
  navFacilities: '授信额度',
  navCases: '案件',
  navLots: '货物批次',
  navReleases: '放货单',
  navPrices: '价格',
  navAudit: '审计',
  navCredit: '信用贷款',
  nothing: '暂无内容',
  loading: '加载中…',
  limit: '额度',
  collateralValue: '押品价值',
  lendingValue: '可贷价值',
  drawingPower: '可提款能力',
  outstanding: '未偿余额',
  available: '可用额度',
  ltv: '贷款价值比',
  frozen: '提款已冻结',
  active: '有效',
  open: '打开',
  breakdown: '可提款能力的构成',
  receipt: '仓单',
  lot: '批次',
  lotState: '批次状态',
  commodity: '商品',
  quantity: '核实数量',
  price: '价格',
  haircut: '折扣率',
  reserve: '准备金',
  advanceRate: '质押率',
  advanceValue: '可贷金额',
  totals: '合计',
  availableFormula: '可用额度 = min(额度, Σ 可贷价值 × 质押率) − 未偿余额',
  draw: '提款',
  repay: '还款',
  amount: '金额',
  note: '备注',
  drawn: '已提款',
  repaid: '已还款',
  ledger: '流水',
  interest: '利息',
  interestToDate: '本月应计利息',
  statement: '月度对账单',
  download: '下载',
  month: '月份',
  marginCalls: '追加保证金通知',
  holds: '冻结',
  liftHold: '解除冻结',
  caseId: '案件',
  requestRelease: '申请放货',
  releaseQuantity: '放货数量',
  requested: '已申请放货',
  status: '状态',
  severity: '严重程度',
  all: '全部',
  reference: '编号',
  title: '标题',
  assignee: '负责人',
  occurrences: '发生次数',
  escalation: '升级',
  overdue: '已逾期',
  due: '截止',
  opened: '创建时间',
  finding: '结论',
  acknowledge: '确认',
  investigate: '开始调查',
  assign: '指派',
  resolve: '结案',
  comment: '评论',
  addComment: '添加评论',
  photo: '照片（证据）',
  photos: '照片（JPEG 或 PNG，每张不超过 8 MB）',
  photoOf: '{who} 上传的照片 {n}',
  photoTooLarge: '{name} 超过 8 MB',
  photoWrongType: '{name} 不是 JPEG 或 PNG 照片',
  navInspections: '现场检查',
  inspection: '检查',
  scheduledFor: '到期',
  counted: '实盘数量',
  site: '仓库',
  sendBranch: '今日派支行检查',
  verifiedQuantity: '系统核实',
  variance: '差异',
  withinTolerance: '在容差内',
  submitCounts: '提交盘点',
  countsBlind: '请按实物盘点；提交后才显示系统数据。',
  caseOpened: '已立案',
  liftRequested: '{who} 于 {when} 申请解除冻结（案件 {ref}）；须由另一名风险官批准。',
  approveLift: '批准解除',
  requestLift: '申请解除',
  resolvedCase: '已结案件',
  interestPosted: '已入账利息',
  comments: '评论',
  evidence: '证据',
  reason: '原因',
  expectedTags: '应有',
  presentTags: '在场',
  missingTags: '缺失',
  lastVerified: '最近核实',
  lastEvent: '最近事件',
  ago: '{n} 分钟前',
  justNow: '刚刚',
  newCase: '新案件：{title}',
  approve: '批准',
  refuse: '拒绝',
  importCsv: '导入价格 CSV',
  upload: '上传',
  asOf: '截至 {when}',
  haircutBand: '折扣区间',
  verify: '校验链',
  verified: '链校验通过：{n} 条',
  broken: '链在 {seq} 处断裂',
  action: '操作',
  actor: '操作人',
  when: '时间',
  entity: '对象',
  reports: '日报',
  done: '完成',
  back: '返回',
  back_to_cases: '全部案件',
  sessionEnded: '会话已结束{reason}。请重新登录。',
};

const LOCALE_KEY = 'collateral-monitor-locale';

let locale: Locale = pickLocale();
let timeZone = 'UTC';

function pickLocale(): Locale {
  const saved = localStorage.getItem(LOCALE_KEY);
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function currentLocale(): Locale {
  return locale;
}

export function setLocale(next: Locale): void {
  locale = next;
  localStorage.setItem(LOCALE_KEY, next);
  document.documentElement.lang = next;
}

export function setTimeZone(zone: string): void {
  timeZone = zone;
}

export function zone(): string {
  return timeZone;
}

/** Fills a message's `{name}` placeholders; a catalogue of its own (credit-messages.ts) uses it too. */
export function interpolate(text: string, vars: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}

export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  return interpolate(locale === 'zh-CN' ? ZH[key] : EN[key], vars);
}

/** An amount in its currency, to the currency's minor unit, never rounded to whole units. */
export function formatMoney(amount: number | undefined, currency: string): string {
  if (amount === undefined) return '—';
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount);
  } catch {
    return `${new Intl.NumberFormat(locale, { minimumFractionDigits: 2 }).format(amount)} ${currency}`;
  }
}

export function formatNumber(value: number | undefined, digits = 3): string {
  return value === undefined ? '—' : new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
}

export function formatPercent(value: number | undefined, digits = 1): string {
  return value === undefined ? '—' : new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

/** A time in the site's zone, with the zone named. */
export function formatTime(iso: string | undefined): string {
  if (iso === undefined) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  // dateStyle/timeStyle cannot be combined with timeZoneName, hence the fields one by one.
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' }).format(d);
}

/** "n min ago", and whether that is older than `staleMs`. */
export function freshness(iso: string | undefined, staleMs: number, now = Date.now()): { text: string; stale: boolean } {
  if (iso === undefined) return { text: '—', stale: true };
  const age = now - Date.parse(iso);
  if (!Number.isFinite(age)) return { text: '—', stale: true };
  const minutes = Math.floor(age / 60_000);
  return { text: minutes < 1 ? t('justNow') : t('ago', { n: new Intl.NumberFormat(locale).format(minutes) }), stale: age > staleMs };
}
