/* The dashboard's charts (Apache ECharts, vendored under static/vendor/echarts), drawn
   from the numbers the page hands over through json_script (#dashboard-data). The tables
   beside them hold the same numbers, so nothing is lost where a chart cannot be read.
   Clicking a region's bar or tile opens that region's dashboard. */
(function () {
  "use strict";

  // 未开始, 草稿, 审阅中, 退回修改, 已通过: the order of words.STATE_COLUMNS.
  const STATE_COLORS = ["#adb5bd", "#6c757d", "#0d6efd", "#dc3545", "#198754"];
  const charts = [];

  function open(link) {
    if (link) window.location.href = link;
  }

  function states(element, data) {
    const rows = data.categories.length;
    element.style.height = Math.max(240, rows * 26 + 80) + "px";
    const chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      color: STATE_COLORS,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 4, type: "scroll" },
      grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: data.categories, axisLabel: { width: 110, overflow: "truncate" } },
      series: data.series.map(function (serie) {
        return { name: serie.name, type: "bar", stack: "states", barMaxWidth: 22, data: serie.data };
      }),
    });
    chart.on("click", function (event) {
      open(data.links[event.dataIndex]);
    });
    return chart;
  }

  function treemap(element, nodes, labels) {
    const chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      tooltip: {
        formatter: function (info) {
          const value = info.value || [0, 0];
          return info.name + "<br>" + labels.must + " " + value[0] + "<br>" + labels.rate + " " + value[1] + "%";
        },
      },
      series: [
        {
          type: "treemap",
          data: nodes,
          roam: false,
          nodeClick: false,
          breadcrumb: { show: false },
          width: "100%",
          height: "100%",
          top: 0,
          left: 0,
          visualDimension: 1,
          visualMin: 0,
          visualMax: 100,
          color: ["#f1aeb5", "#ffe69c", "#a3cfbb"],
          colorMappingBy: "value",
          label: {
            formatter: function (info) {
              return info.name + "\n" + info.value[0];
            },
            color: "#212529",
          },
          itemStyle: { borderColor: "#fff", borderWidth: 2, gapWidth: 2 },
        },
      ],
    });
    chart.on("click", function (event) {
      open(event.data && event.data.link);
    });
    return chart;
  }

  function days(element, data, labels) {
    const chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      color: ["#a4161a"],
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.dates, axisLabel: { hideOverlap: true } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ name: labels.submissions, type: "bar", barMaxWidth: 18, data: data.counts }],
    });
    return chart;
  }

  function draw() {
    const source = document.getElementById("dashboard-data");
    if (!source || !window.echarts) return;
    const data = JSON.parse(source.textContent);
    const statesElement = document.getElementById("chart-states");
    if (statesElement && data.states.categories.length) charts.push(states(statesElement, data.states));
    const treemapElement = document.getElementById("chart-treemap");
    if (treemapElement) {
      if (data.treemap.length) charts.push(treemap(treemapElement, data.treemap, data.labels));
      else treemapElement.hidden = true;
    }
    const daysElement = document.getElementById("chart-days");
    if (daysElement && data.days.dates.length) charts.push(days(daysElement, data.days, data.labels));
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) {
        chart.resize();
      });
    });
  }

  draw();
})();
