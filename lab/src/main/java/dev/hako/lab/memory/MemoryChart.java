package dev.hako.lab.memory;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One scenario's chart: each run's resident set above its baseline (MiB) against the seconds since its work ended,
 * so that every allocator's "after 1 s" and "after 5 s" fall at the same place; Hako's targets as dashed lines.
 * Drawn off-screen.
 */
final class MemoryChart {
    private MemoryChart() {}

    private static final Map<String, Color> COLORS = Map.of("hako", new Color(214, 39, 40), "glibc",
            new Color(31, 119, 180), "jemalloc", new Color(44, 160, 44), "mimalloc", new Color(255, 127, 14));
    private static final Color OTHER = new Color(127, 127, 127);

    static void write(Scenario scenario, List<MemoryRun> runs, List<Targets.Target> targets, Path png)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(480)
                .title(scenario.id() + ": resident set above the baseline")
                .xAxisTitle("seconds since the work ended").yAxisTitle("MiB above baseline").build();
        var st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setChartTitleBoxVisible(false);
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setLegendBorderColor(Color.WHITE);
        st.setAntiAlias(true);
        st.setYAxisDecimalPattern("#,##0");
        st.setXAxisDecimalPattern("0.#");
        double minX = 0, maxX = 0;
        for (MemoryRun r : runs) {
            Samples s = r.samples();
            if (s.size() == 0) continue;
            long end = s.mark(Samples.WORK_END);
            double[] x = new double[s.size()], y = new double[s.size()];
            for (int i = 0; i < s.size(); i++) {
                x[i] = (s.tMs()[i] - end) / 1000.0;
                y[i] = s.rssKb()[i] / 1024.0 - r.line().baselineMib();
            }
            minX = Math.min(minX, x[0]);
            maxX = Math.max(maxX, x[x.length - 1]);
            XYSeries series = chart.addSeries(r.label(), x, y);
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            series.setMarker(SeriesMarkers.NONE);
            Color c = COLORS.getOrDefault(r.allocator(), OTHER);
            series.setLineColor(r.run() == 1 ? c : c.brighter());
            series.setLineStyle(new BasicStroke(r.run() == 1 ? 2f : 1.2f));
        }
        for (Targets.Target t : targets) {
            if (Double.isNaN(t.limitMib())) continue;
            XYSeries line = chart.addSeries(String.format(Locale.ROOT, "hako target: %s <= %.0f MiB", t.figure().label(),
                    t.limitMib()), new double[] {minX, maxX}, new double[] {t.limitMib(), t.limitMib()});
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(Color.DARK_GRAY);
            line.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {6f, 4f}, 0f));
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
