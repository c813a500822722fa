// A chart drawn by Observable Plot (SVG) inside a Preact page. Plot puts a <style> element into its
// SVG, which the console's CSP (`style-src 'self'`) would refuse and log as an error: it is taken
// out before the SVG enters the page, and styles.css (`.plot-chart svg`) says the same.
import { useEffect, useRef } from 'preact/hooks';

export function PlotChart(props: {
  /** Draws the chart (Plot.plot(...)); called again when `data` changes. */
  draw: () => SVGSVGElement | HTMLElement;
  data: unknown;
  testId: string;
}) {
  const holder = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const node = props.draw();
    for (const style of node.querySelectorAll('style')) style.remove();
    // The figure's caption and table say what the drawing shows.
    node.setAttribute('aria-hidden', 'true');
    holder.current?.replaceChildren(node);
    return () => node.remove();
  }, [props.data]);
  return <div class="plot-chart" data-testid={props.testId} ref={holder} />;
}
