/* The NutUI components the app uses (components/ui.ts), as plain DOM with the same props. */
import type { ReactNode } from 'react';

type Common = { children?: ReactNode; className?: string; [key: string]: unknown };
const data = (p: Common) =>
  Object.fromEntries(Object.entries(p).filter(([k]) => k.startsWith('data-')));

export const Button = (
  p: Common & { onClick?: () => void; disabled?: boolean; loading?: boolean },
) => (
  <button disabled={Boolean(p.disabled)} onClick={p.onClick} {...data(p)}>
    {p.children}
  </button>
);
export const Input = (
  p: Common & { value?: string; placeholder?: string; onChange?: (v: string) => void },
) => (
  <input
    value={p.value ?? ''}
    placeholder={p.placeholder}
    onChange={(e) => p.onChange?.(e.target.value)}
    {...data(p)}
  />
);
export const Switch = (p: Common & { checked?: boolean; onChange?: (v: boolean) => void }) => (
  <input
    type="checkbox"
    role="switch"
    checked={Boolean(p.checked)}
    onChange={(e) => p.onChange?.(e.target.checked)}
    {...data(p)}
  />
);
export const InputNumber = (
  p: Common & { value?: number; onChange?: (v: number | string) => void },
) => (
  <input
    type="number"
    value={p.value}
    onChange={(e) => p.onChange?.(e.target.value)}
    {...data(p)}
  />
);
export const Skeleton = () => <div data-skeleton />;
export const Empty = (p: Common & { title?: ReactNode; description?: ReactNode }) => (
  <div data-empty>
    <span>{p.title}</span>
    <span>{p.description}</span>
  </div>
);
export const Progress = (p: Common & { percent?: number }) => <div data-percent={p.percent} />;
export const Tag = (p: Common) => <span data-tag>{p.children}</span>;
export const Cell = (
  p: Common & {
    title?: ReactNode;
    description?: ReactNode;
    extra?: ReactNode;
    onClick?: () => void;
  },
) => (
  <div onClick={p.onClick}>
    {p.title}
    {p.description}
    {p.extra}
  </div>
);
export const CellGroup = (p: Common & { title?: ReactNode }) => (
  <section>
    {p.title}
    {p.children}
  </section>
);
export const NoticeBar = (p: Common) => <div>{p.children}</div>;
export const Tabs = (p: Common) => <div>{p.children}</div>;
export const TabPane = (p: Common) => <div>{p.children}</div>;
