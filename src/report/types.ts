/** A month report, as data: what report.json holds and what the HTML, PDF and CSVs are rendered from. */
export interface ReportOptions {
  /** `YYYY-MM` */
  month: string;
  account?: string;
  framework: FrameworkId;
  /** Business hours in `timeZone`, e.g. 8–18 Monday–Friday. */
  businessHours: { startHour: number; endHour: number; days: number[] };
  timeZone: string;
  /** Users treated as administrators in addition to superusers seen in the user log. */
  adminUsers: string[];
  /** Rows kept per detail table in the HTML/PDF (CSV and JSON keep all). */
  maxRows: number;
}

export type FrameworkId = 'pci-dss' | 'soc2' | 'hipaa' | 'gxp' | 'none';

export interface ReportTable {
  id: string;
  title: string;
  columns: string[];
  rows: (string | number | boolean | null)[][];
  /** Total rows before truncation for display. */
  totalRows: number;
}

export interface ReportChart {
  id: string;
  title: string;
  kind: 'bar' | 'line';
  labels: string[];
  series: { label: string; values: number[] }[];
}

export interface ReportSection {
  id: string;
  title: string;
  /** The auditor's question this section answers. */
  question: string;
  /** One-sentence answer with the key numbers. */
  summary: string;
  charts: ReportChart[];
  tables: ReportTable[];
}

export type CheckStatus = 'pass' | 'fail' | 'not-evidenced';

export interface FrameworkCheck {
  requirement: string;
  text: string;
  status: CheckStatus;
  evidence: string;
}

export interface ReportData {
  title: string;
  month: string;
  range: { from: string; to: string };
  account: string | null;
  framework: FrameworkId;
  generatedAt: string;
  totals: { events: number; connections: number; failedLogins: number; userChanges: number; activity: number; apiCalls: number };
  sections: ReportSection[];
  checks: FrameworkCheck[];
}
