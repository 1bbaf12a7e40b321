package dev.hako.lab.suite;

import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleBiFunction;

/**
 * chart.png in mimalloc-bench's style: two panels, time and peak RSS of each allocator relative to the best of the
 * row (1.0 = the best; lower is better), rows along the x axis, one bar per allocator. Bars beyond the axis cap are
 * cut at the cap and labelled with their value. Drawn off-screen.
 */
public final class SuiteChart {
    private SuiteChart() {}

    /** Bars above this many times the best are cut (so one outlier does not flatten the rest). */
    static final double CAP = 4.0;
    private static final double FILL = 0.9;
    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
            new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
            new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};

    public static void write(SuiteResult result, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<CategoryChart> panels = List.of(
                panel(result, "Time relative to the best allocator of each workload (lower is better)",
                        "time / best", result::relativeTime),
                panel(result, "Peak RSS relative to the smallest of each workload (whole JVM process; lower is better)",
                        "peak RSS / smallest", result::relativeRss));
        BitmapEncoder.saveBitmap(panels, 2, 1, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static CategoryChart panel(SuiteResult result, String title, String yTitle,
                                       ToDoubleBiFunction<SuiteCase, Integer> relative) {
        List<SuiteCase> rows = result.config().rows();
        int k = result.config().allocators().size();
        int width = Math.max(900, 40 + rows.size() * (24 + 16 * k));
        CategoryChart chart = new CategoryChartBuilder().width(width).height(440).title(title).yAxisTitle(yTitle)
                .build();
        var st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setChartTitleBoxVisible(false);
        st.setPlotGridVerticalLinesVisible(false);
        st.setLegendPosition(Styler.LegendPosition.OutsideS);
        st.setLegendLayout(Styler.LegendLayout.Horizontal);
        st.setLegendBorderColor(Color.WHITE);
        st.setXAxisLabelRotation(30);
        st.setAvailableSpaceFill(FILL);
        st.setYAxisDecimalPattern("0.0");
        st.setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        st.setAnnotationTextFontColor(Color.BLACK);
        st.setAntiAlias(true);
        List<String> names = rows.stream().map(SuiteCase::name).toList();
        double top = 1.0;
        double[][] values = new double[k][rows.size()];
        for (int a = 0; a < k; a++) {
            for (int r = 0; r < rows.size(); r++) {
                values[a][r] = relative.applyAsDouble(rows.get(r), a);
                if (Double.isFinite(values[a][r])) top = Math.max(top, values[a][r]);
            }
        }
        double cap = Math.min(top, CAP);
        st.setYAxisMin(0.0);
        st.setYAxisMax(Math.max(1.2, cap * 1.05));
        for (int a = 0; a < k; a++) {
            List<Double> ys = new ArrayList<>();
            for (int r = 0; r < rows.size(); r++) {
                double v = values[a][r];
                ys.add(Double.isFinite(v) ? Math.min(v, cap) : 0.0); // a failed cell shows as no bar
                if (Double.isFinite(v) && v > cap) {
                    double x = r + (1 - FILL) / 2 + (a + 0.5) * FILL / k;
                    String text = String.format(Locale.ROOT, v < 10 ? "%.1f" : "%.0f", v);
                    double y = cap * (a % 2 == 0 ? 0.97 : 0.91); // neighbours' labels on two levels
                    chart.addAnnotation(new AnnotationText(text, x, y, false));
                }
            }
            CategorySeries s = chart.addSeries(legend(result, a), names, ys);
            s.setFillColor(PALETTE[a % PALETTE.length]);
        }
        return chart;
    }

    /** The allocator's short label ({@code native:libtcmalloc.so}, {@code hako/parcel}) unless two would clash. */
    private static String legend(SuiteResult result, int allocator) {
        var all = result.config().allocators();
        String shortLabel = all.get(allocator).shortLabel();
        long same = all.stream().filter(a -> a.shortLabel().equals(shortLabel)).count();
        return same == 1 ? shortLabel : all.get(allocator).text();
    }
}
