package dev.hako.lab.report;

import dev.hako.lab.ab.Cell;
import dev.hako.lab.ab.CellCheck;
import dev.hako.lab.ab.ExperimentResult;
import dev.hako.lab.ab.RunKind;
import dev.hako.lab.ab.RunRecord;
import dev.hako.lab.ab.SideStats;
import dev.hako.lab.ab.Variant;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * chart.png: one panel per cell (rows = thread counts, columns = remote percentages), each variant's timed runs as
 * points (crosses for dirty runs) and its median as a bar, in iterations/s. Drawn off-screen (no display needed).
 */
public final class ChartReport {
    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
            new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
            new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};

    private ChartReport() {}

    /** Writes the chart to {@code png}. */
    public static void write(ExperimentResult result, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true"); // before AWT loads: the lab runs on servers without a display
        List<Cell> cells = result.config().cells();
        List<Integer> threads = cells.stream().map(Cell::threads).distinct().toList();
        List<Integer> remote = cells.stream().map(Cell::remotePct).distinct().toList();
        List<XYChart> panels = new ArrayList<>();
        for (int t : threads) {
            for (int r : remote) {
                Cell cell = new Cell(t, r);
                panels.add(cells.contains(cell) ? panel(result, cell) : placeholder(result, cell));
            }
        }
        BitmapEncoder.saveBitmap(panels, threads.size(), remote.size(), png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static XYChart panel(ExperimentResult result, Cell cell) {
        List<Variant> variants = result.config().variants();
        XYChart chart = base(result, title(result, cell));
        boolean any = false;
        for (int v = 0; v < variants.size(); v++) {
            int variant = v;
            List<RunRecord> runs = result.runs().stream().filter(r -> r.plan().kind() == RunKind.TIMED
                    && r.plan().cell().equals(cell) && r.plan().variant() == variant).toList();
            if (runs.isEmpty()) continue;
            any = true;
            Color color = PALETTE[v % PALETTE.length];
            List<Double> cx = new ArrayList<>(), cy = new ArrayList<>(), dx = new ArrayList<>(), dy = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                double x = v + jitter(i, runs.size());
                double y = runs.get(i).output().itersPerSec() / 1e6;
                (runs.get(i).dirty() ? dx : cx).add(x);
                (runs.get(i).dirty() ? dy : cy).add(y);
            }
            String name = legendName(result, v);
            if (!cx.isEmpty()) points(chart, name, cx, cy, color, false);
            if (!dx.isEmpty()) points(chart, name + " (dirty)", dx, dy, color, true);
            double median = result.side(cell, v).iters().median() / 1e6;
            XYSeries m = chart.addSeries(name + " median", new double[] {v - 0.3, v + 0.3}, new double[] {median, median});
            m.setShowInLegend(false);
            m.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            m.setMarker(SeriesMarkers.NONE);
            m.setLineColor(color);
            m.setLineStyle(new BasicStroke(3f));
        }
        if (!any) return placeholder(result, cell);
        return chart;
    }

    /** The legend's name of a variant: {@code A: hako:remote=push} in ab, the spec in compare. */
    private static String legendName(ExperimentResult result, int v) {
        Variant variant = result.config().variants().get(v);
        return variant.label().equals(variant.spec().text()) ? variant.spec().text()
                : variant.label() + ": " + variant.spec().text();
    }

    private static void points(XYChart chart, String name, List<Double> x, List<Double> y, Color color, boolean dirty) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(dirty ? SeriesMarkers.CROSS : SeriesMarkers.CIRCLE);
        s.setMarkerColor(color);
    }

    /** Spreads a side's runs sideways so that equal values stay visible. */
    private static double jitter(int i, int n) {
        return n == 1 ? 0 : -0.18 + 0.36 * i / (n - 1);
    }

    private static XYChart base(ExperimentResult result, String title) {
        List<Variant> variants = result.config().variants();
        int width = variants.size() > 3 ? 760 : 560;
        XYChart chart = new XYChartBuilder().width(width).height(420).title(title)
                .xAxisTitle("").yAxisTitle("M iterations/s").build();
        var st = chart.getStyler();
        st.setTheme(new org.knowm.xchart.style.theme.XChartTheme());
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotGridVerticalLinesVisible(false);
        st.setMarkerSize(9);
        st.setChartTitleBoxVisible(false);
        st.setXAxisMin(-0.5);
        st.setXAxisMax(variants.size() - 0.5);
        st.setXAxisTitleVisible(false);
        st.setYAxisDecimalPattern("#,##0.##");
        // Variants are told apart by colour and legend: XChart's numeric x axis cannot be labelled per variant.
        st.setXAxisTicksVisible(false);
        boolean wide = variants.size() > 3;
        st.setLegendVisible(true);
        st.setLegendPosition(wide ? Styler.LegendPosition.OutsideE : Styler.LegendPosition.OutsideS);
        st.setLegendLayout(wide ? Styler.LegendLayout.Vertical : Styler.LegendLayout.Horizontal);
        st.setLegendBorderColor(Color.WHITE);
        st.setAntiAlias(true);
        st.setChartPadding(12);
        return chart;
    }

    private static String title(ExperimentResult result, Cell cell) {
        StringBuilder t = new StringBuilder(cell.label());
        int n = result.config().variants().size();
        boolean dirty = false;
        SideStats base = result.side(cell, 0);
        for (int v = 0; v < n; v++) dirty |= result.side(cell, v).dirty();
        if (result.config().command().equals("ab")) {
            SideStats b = result.side(cell, 1);
            t.append(String.format(Locale.ROOT, "   %s vs %s: %+.1f %%", result.config().variants().get(1).label(),
                    result.config().variants().get(0).label(), b.iters().deltaPctOver(base.iters())));
            CellCheck k = MarkdownReport.throughputCheck(result.assess(0, 1), cell);
            if (k != null && k.comparison() != null && k.comparison().bounded()) {
                t.append(", B/A ").append(k.comparison().interval()).append(' ').append(k.status().word());
            }
        }
        if (dirty) t.append("   DIRTY"); // the legend names the dirty runs (crosses)
        return t.toString();
    }

    private static XYChart placeholder(ExperimentResult result, Cell cell) {
        String why = cell.threads() == 1 ? " = T=1 R=0 (T=1 ignores remote_pct)" : ": not run";
        XYChart chart = base(result, cell.label() + why);
        XYSeries s = chart.addSeries("no runs", new double[] {0}, new double[] {0});
        s.setMarker(SeriesMarkers.NONE);
        s.setShowInLegend(false);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        return chart;
    }
}
