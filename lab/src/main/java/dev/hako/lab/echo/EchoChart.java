package dev.hako.lab.echo;

import dev.hako.lab.ab.VariantSpec;
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
import java.util.function.ToDoubleFunction;

/**
 * chart.png of an echo experiment: a column per cell, throughput (thousand messages/s, from zero) on top and peak
 * RSS (MiB, on its own range) below; each allocator's runs as points, its median as a bar. Drawn off-screen.
 */
public final class EchoChart {
    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
            new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75)};

    private EchoChart() {}

    public static void write(EchoExperiment e, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<EchoExperiment.Cell> cells = e.config().cells();
        List<XYChart> panels = new ArrayList<>();
        for (EchoExperiment.Cell cell : cells) {
            panels.add(panel(e, cell, cell.label() + ": throughput", "k messages/s", l -> l.msgsPerS() / 1e3, true));
        }
        for (EchoExperiment.Cell cell : cells) {
            // RSS on its own scale: with a fixed heap the differences are a few MiB on top of hundreds.
            panels.add(panel(e, cell, cell.label() + ": peak RSS", "MiB", EchoLine::peakRssMib, false));
        }
        BitmapEncoder.saveBitmap(panels, 2, cells.size(), png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static XYChart panel(EchoExperiment e, EchoExperiment.Cell cell, String title, String unit,
                                 ToDoubleFunction<EchoLine> figure, boolean fromZero) {
        List<VariantSpec> variants = e.config().variants();
        XYChart chart = new XYChartBuilder().width(variants.size() > 3 ? 620 : 520).height(400).title(title)
                .xAxisTitle("").yAxisTitle(unit).build();
        style(chart, variants.size(), fromZero);
        boolean any = false;
        for (int v = 0; v < variants.size(); v++) {
            List<EchoExperiment.Run> runs = e.runs(cell, v);
            if (runs.isEmpty()) continue;
            any = true;
            Color color = PALETTE[v % PALETTE.length];
            List<Double> x = new ArrayList<>(), y = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                x.add(v + (runs.size() == 1 ? 0 : -0.18 + 0.36 * i / (runs.size() - 1)));
                y.add(figure.applyAsDouble(runs.get(i).line()));
            }
            XYSeries points = chart.addSeries(variants.get(v).text(), x, y);
            points.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            points.setMarker(SeriesMarkers.CIRCLE);
            points.setMarkerColor(color);
            double median = e.summary(cell, v, figure).median();
            XYSeries bar = chart.addSeries(variants.get(v).text() + " median", new double[] {v - 0.3, v + 0.3},
                    new double[] {median, median});
            bar.setShowInLegend(false);
            bar.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            bar.setMarker(SeriesMarkers.NONE);
            bar.setLineColor(color);
            bar.setLineStyle(new BasicStroke(3f));
        }
        if (!any) {
            XYSeries s = chart.addSeries("no runs", new double[] {0}, new double[] {0});
            s.setMarker(SeriesMarkers.NONE);
            s.setShowInLegend(false);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        }
        return chart;
    }

    private static void style(XYChart chart, int variants, boolean fromZero) {
        var st = chart.getStyler();
        st.setTheme(new org.knowm.xchart.style.theme.XChartTheme());
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotGridVerticalLinesVisible(false);
        st.setMarkerSize(9);
        st.setChartTitleBoxVisible(false);
        st.setXAxisMin(-0.5);
        st.setXAxisMax(variants - 0.5);
        st.setXAxisTitleVisible(false);
        st.setXAxisTicksVisible(false); // allocators are told apart by colour and legend
        if (fromZero) st.setYAxisMin(0.0);
        st.setYAxisDecimalPattern("#,##0.#");
        st.setLegendVisible(true);
        st.setLegendPosition(Styler.LegendPosition.OutsideS);
        st.setLegendLayout(Styler.LegendLayout.Horizontal);
        st.setLegendBorderColor(Color.WHITE);
        st.setAntiAlias(true);
        st.setChartPadding(12);
    }
}
