/** The run page's two tabs (Overview, Traces), chosen by the URL hash so each is linkable. */
export function initRunTabs(): void {
  const sections = { overview: document.getElementById('overview'), traces: document.getElementById('traces') };
  const tabs = { overview: document.getElementById('tab-overview'), traces: document.getElementById('tab-traces') };
  const show = () => {
    const current = location.hash === '#traces' ? 'traces' : 'overview';
    for (const name of ['overview', 'traces'] as const) {
      sections[name]?.toggleAttribute('hidden', name !== current);
      if (name === current) tabs[name]?.setAttribute('aria-current', 'page');
      else tabs[name]?.removeAttribute('aria-current');
    }
    document.dispatchEvent(new CustomEvent('labbook:tab', { detail: current }));
  };
  addEventListener('hashchange', show);
  show();
}
