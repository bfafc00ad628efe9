#!/usr/bin/env node
// Builds the Pooling chapter's notebooks from the cells written below (plain Node, no dependencies):
//
//   node scripts/notebooks/build.js           write notebooks/{zh,en}/pooling{,-explore}.ipynb
//   node scripts/notebooks/build.js --check   exit 1 if a committed notebook differs from this script
//
// One function per notebook returns its cells. A cell is written as a tagged template:
//   md("id")`text`            a markdown cell
//   code("id")`source`        a code cell
//   code("id", "zh/x")`...`   a code cell whose stdout must equal test/fixtures/notebook-outputs.json["zh/x"]
//                             (stored in the cell's metadata as "d2l": {"expect": "zh/x"}; the PyTorch side
//                             is scripts/make_notebook_fixtures.py — keep the two lists of ids in sync)
// Templates are taken raw, so LaTeX backslashes stay as written; only \` and \${ are unescaped (a
// backtick or a TypeScript template placeholder inside a cell). Indentation common to all lines is removed.
// Cell ids ("<notebook id>-<cell id>") are stable: they change only when someone renames a cell here.
// The notebooks carry no outputs and execution_count null; run them in Jupyter to see the results.

const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..");

// ---------------------------------------------------------------------------------------------
// Cells and notebooks

function dedent(text) {
  const lines = text.replace(/^[ \t]*\n/, "").replace(/\n[ \t]*$/, "").split("\n");
  const indents = lines.filter((l) => l.trim() !== "").map((l) => l.match(/^ */)[0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut).replace(/\s+$/, "")).join("\n");
}

/**
 * A tag's text: the raw strings (so LaTeX backslashes survive) with \` and \${ unescaped and their
 * common indentation removed; interpolated values go in as they are (their lines are not re-indented).
 */
function raw(strings, values) {
  const unescape = (s) => s.replace(/\\`/g, "`").replace(/\\\$\{/g, "${");
  const parts = strings.raw.map(unescape);
  const indents = parts.flatMap((s) => s.split("\n").slice(1)).filter((l) => l.trim() !== "").map((l) => l.match(/^ */)[0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  const text = parts
    .map((s) => s.split("\n").map((l, i) => (i === 0 ? l : l.slice(Math.min(cut, l.match(/^ */)[0].length)))).join("\n"))
    .map((s, i) => s + (i < values.length ? String(values[i]) : ""))
    .join("");
  return text.replace(/^[ \t]*\n/, "").replace(/\s+$/, "").split("\n").map((l) => l.replace(/\s+$/, "")).join("\n");
}

function md(id) {
  return (strings, ...values) => ({ id, cell_type: "markdown", source: raw(strings, values) });
}

function code(id, expect) {
  return (strings, ...values) => ({ id, cell_type: "code", expect, source: raw(strings, values) });
}

/** Jupyter's own layout for a cell's source: a list of lines, each ending in "\n" but the last. */
function sourceLines(text) {
  return text.split("\n").map((line, i, all) => (i < all.length - 1 ? line + "\n" : line));
}

const METADATA = {
  kernelspec: { name: "d2l-pooling-typescript", display_name: "TypeScript (d2l pooling)", language: "typescript" },
  language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript", version: "5.0" },
};

function notebook(name, lang, cells) {
  const seen = new Set();
  const out = cells.map((cell) => {
    if (!/^[a-z0-9-]+$/.test(cell.id)) throw new Error(`${name}: bad cell id '${cell.id}'`);
    if (seen.has(cell.id)) throw new Error(`${name}: duplicate cell id '${cell.id}'`);
    seen.add(cell.id);
    if (cell.expect !== undefined && !cell.expect.startsWith(`${lang}/`)) {
      throw new Error(`${name}: expectation '${cell.expect}' should start with '${lang}/'`);
    }
    const id = `${name.replace(/[^a-z0-9]+/g, "-")}-${cell.id}`.slice(0, 64);
    if (cell.cell_type === "markdown") {
      return { cell_type: "markdown", id, metadata: {}, source: sourceLines(cell.source) };
    }
    return {
      cell_type: "code",
      execution_count: null,
      id,
      metadata: cell.expect !== undefined ? { d2l: { expect: cell.expect } } : {},
      outputs: [],
      source: sourceLines(cell.source),
    };
  });
  return { cells: out, metadata: { ...METADATA, d2l: { lang } }, nbformat: 4, nbformat_minor: 5 };
}

// ---------------------------------------------------------------------------------------------
// The exercises: file names (exercises/<file>.ts) and numbers follow src/grader/manifest.ts.
// The prompts are ours; the exercise files say exactly what to implement.

const EXERCISES = [
  {
    file: "avg-pool-as-conv",
    zh: 1,
    en: 1,
    exports: ["avgPoolWeight", "avgPoolAsConv"],
    zhText: "把平均汇聚层实现为卷积层的一个特例：卷积核应该取什么值，步幅和填充又该怎样设置，才能让卷积的输出与平均汇聚完全相同？",
    enText: "Implement average pooling as a convolution: which kernel weights, stride and padding make a convolution give exactly what average pooling gives?",
  },
  {
    file: "max-pool-as-conv",
    zh: 2,
    en: null,
    exports: ["maxPoolAsConv"],
    zhText: "尝试把最大汇聚层实现为卷积层的特例：沿用卷积的滑动窗口（窗口大小、步幅、填充），但每个窗口输出的是其中的最大值。注意填充的位置不应成为最大值的候选。",
    enText: "(d2l-zh, exercise 2) Implement max pooling on top of a convolution's sliding window: the same window, stride and padding, but each window yields its maximum. Padding must never be a candidate for the maximum.",
  },
  {
    file: "max-pool-not-linear",
    zh: null,
    en: 2,
    exports: ["additivityCounterexample", "scalingCounterexample", "WHY_NOT_CONV"],
    zhText: "（英文版练习 2）证明单靠卷积无法实现最大汇聚：卷积是线性运算，请找出让最大汇聚违反可加性和齐次性的具体输入，并说明一个反例为什么足以排除所有卷积。",
    enText: "Prove that max pooling cannot be implemented by a convolution alone: a convolution is linear, so find concrete inputs on which max pooling breaks additivity and homogeneity, and explain why one counterexample rules out every convolution.",
  },
  {
    file: "max-via-relu",
    zh: null,
    en: 3,
    exports: ["maxViaRelu", "maxPool2x2ViaRelu", "reluTournament"],
    zhText: "（英文版练习 3）最大汇聚可以只用 ReLU 运算 $\\mathrm{ReLU}(x) = \\max(0, x)$ 搭出来：(a) 只用 ReLU（以及加减和数乘）表示 $\\max(a, b)$；(b) 用卷积层和 ReLU 层实现 $2 \\times 2$ 最大汇聚；(c) $2 \\times 2$ 的窗口需要多少个通道和层？$3 \\times 3$ 的窗口呢？",
    enText: "Max pooling can be built from ReLU operations, $\\textrm{ReLU}(x) = \\max(0, x)$: (a) write $\\max(a, b)$ with ReLU alone (plus sums, differences and scaling); (b) use it to implement $2 \\times 2$ max pooling with convolution and ReLU layers; (c) how many channels and layers does a $2 \\times 2$ window need, and how many does a $3 \\times 3$ window need?",
  },
  {
    file: "pooling-cost",
    zh: 3,
    en: 4,
    exports: ["d2lPoolingCost", "poolingReads"],
    zhText: "设汇聚层的输入形状为 $c \\times h \\times w$，汇聚窗口形状为 $k_h \\times k_w$，填充为 $(p_h, p_w)$，步幅为 $(s_h, s_w)$。这个汇聚层的计算成本是多少？（按书中的写法，$p_h$ 是上下两侧填充的总行数；PyTorch 的 `padding` 则是每一侧的行数，文件里会说明每个函数用哪一种。）",
    enText: "What does a pooling layer cost to compute? Take an input of size $c \\times h \\times w$, a $k_h \\times k_w$ pooling window, padding $(p_h, p_w)$ and stride $(s_h, s_w)$. (In the book's formula $p_h$ counts the padded rows on both sides together; PyTorch's `padding` counts one side. The file says which one each function uses.)",
  },
  {
    file: "max-vs-avg",
    zh: 4,
    en: 5,
    exports: ["shiftSensitivity", "noiseSensitivity", "WHY_DIFFERENT"],
    zhText: "为什么最大汇聚层和平均汇聚层的表现会不同？先量一量两者对一个像素的平移和对噪声各有多敏感，再用自己的话解释。",
    enText: "Why would you expect max pooling and average pooling to behave differently? Measure how sensitive each one is to a one-pixel shift and to noise, then explain the difference in your own words.",
  },
  {
    file: "min-pool",
    zh: 5,
    en: 6,
    exports: ["minPool2d", "minPool2dWithIndices", "NEED_MIN_POOL", "WHY_MIN_POOL"],
    zhText: "我们需要单独的最小汇聚层吗？能否用已有的运算代替它？",
    enText: "Do we need a separate minimum pooling layer, or can another operation stand in for it?",
  },
  {
    file: "softmax-pool",
    zh: 6,
    en: 7,
    exports: ["softmaxPool2d", "WHY_UNPOPULAR"],
    zhText: "除了平均汇聚和最大汇聚，还能用别的函数吗？（提示：回想 softmax。）用 softmax 给窗口内的元素加权来做汇聚，为什么这种做法并不流行？",
    enText: "Pooling could also use the softmax: weight the elements of each window by their softmax and sum them. Why might this not be popular?",
  },
];

function exerciseList(lang) {
  const numbered = EXERCISES.filter((e) => e[lang] !== null).sort((a, b) => a[lang] - b[lang]);
  const extra = EXERCISES.filter((e) => e[lang] === null);
  const item = (e, n) => {
    const names = e.exports.map((x) => `\`${x}\``).join(lang === "zh" ? "、" : ", ");
    const where = lang === "zh"
      ? `文件：[\`exercises/${e.file}.ts\`](../../exercises/${e.file}.ts)（要完成的导出：${names}）`
      : `File: [\`exercises/${e.file}.ts\`](../../exercises/${e.file}.ts) (exports to complete: ${names})`;
    return `${n}. ${lang === "zh" ? e.zhText : e.enText}\n   ${where}`;
  };
  const main = numbered.map((e) => item(e, e[lang])).join("\n");
  const header = lang === "zh" ? "英文版另有两道练习，也在评分之内：" : "The Chinese edition has one more exercise, also graded:";
  const rest = extra.map((e, i) => item(e, numbered.length + i + 1)).join("\n");
  return `${main}\n\n${header}\n\n${rest}`;
}

// ---------------------------------------------------------------------------------------------
// notebooks/zh/pooling.ipynb — d2l-zh 6.5 汇聚层

function zhPooling() {
  return [
    md("title")`
      # 汇聚层

      处理图像时，我们往往希望随着网络层数的加深，逐步降低隐藏表示的空间分辨率、把信息聚集起来：越靠上的神经元，它在输入上“看到”的区域（感受野）就越大。

      很多任务问的是关于整幅图像的问题，例如“图里有没有一只猫？”。因此最后一层的神经元应当能感知整个输入。一层层地聚合信息、得到越来越粗糙的特征图，我们最终就能学到全局的表示，同时在中间各层保留卷积层的全部好处。

      另外，检测边缘这类底层特征时（见 6.2 节），我们通常希望表示对平移有一定的不变性。设想一幅黑白分界清晰的图像 \`X\`，把整幅图像平移一个像素，即 \`Z[i, j] = X[i, j + 1]\`，新图像 \`Z\` 的卷积输出可能会和原来大不一样。可现实中物体几乎不会恰好出现在同一个像素上：即使用三脚架拍摄静止的物体，快门动作引起的相机抖动也可能让画面整体偏移一个像素左右（高端相机为此专门配备了防抖功能）。

      本节介绍的**汇聚层**（pooling，也常译作池化层）有两个作用：降低卷积层对位置的敏感性，以及对表示做空间降采样。
    `,
    code("imports")`
      import { torch, nn, Tensor } from "d2l-pooling";
    `,
    md("plot-note")`
      本笔记本里的图来自 \`d2l-pooling/plot\`：\`show(图)\` 在笔记本中画出一幅可交互的 plotly 图（可缩放、悬停查看数值；滑动窗口图可以播放）。
    `,
    code("plot-imports")`
      import { show, slidingWindowFigure, edgeShiftFigure } from "d2l-pooling/plot";
    `,
    md("max-avg")`
      ## 最大汇聚层和平均汇聚层

      和卷积层一样，汇聚层也用一个固定形状的窗口（称为**汇聚窗口**）按步幅滑过输入的所有区域，窗口每停在一个位置就计算出一个输出。不同的是，汇聚层没有参数，也就没有卷积核；它的运算是确定的，通常取窗口内所有元素的最大值或平均值，分别称为**最大汇聚**（maximum pooling）和**平均汇聚**（average pooling）。

      两种情况下，窗口都像互相关运算那样，从输入张量的左上角出发，先从左到右、再从上到下地滑动。窗口每到一处，就对窗口内的子张量取最大值或平均值，取哪一个由使用的是最大汇聚层还是平均汇聚层决定。
    `,
    md("fig-6-5-1")`
      **图 6.5.1** 是一个 $2 \times 2$ 的最大汇聚：输入是 $3 \times 3$ 的张量，元素依次为 0 到 8；窗口先覆盖左上角的 0、1、3、4，得到第一个输出 4。输出张量的高和宽都是 2，四个元素分别是各自窗口中的最大值：

      $$
      \max(0, 1, 3, 4)=4,\\
      \max(1, 2, 4, 5)=5,\\
      \max(3, 4, 6, 7)=7,\\
      \max(4, 5, 7, 8)=8.\\
      $$

      窗口形状为 $p \times q$ 的汇聚层称为 $p \times q$ 汇聚层，对应的运算称为 $p \times q$ 汇聚。
    `,
    md("edge")`
      回到开头的边缘检测例子。把卷积层的输出作为 $2 \times 2$ 最大汇聚的输入，记卷积层的输入为 \`X\`、汇聚层的输出为 \`Y\`。一条竖直边缘的响应无论落在 \`X[i, j]\` 与 \`X[i, j + 1]\` 之间，还是落在 \`X[i, j + 1]\` 与 \`X[i, j + 2]\` 之间，都会出现在同一个 $2 \times 2$ 窗口里，所以汇聚层总是输出 \`Y[i, j] = 1\`。换句话说，有了 $2 \times 2$ 最大汇聚层，卷积层识别出的模式在高或宽方向上移动不超过一个元素时，仍然能被检测到。

      下图把这个论证画了出来：上排是原图 \`X\`、它的边缘响应（6.2 节的卷积核 \`[1, -1]\`）和 $2 \times 2$ 最大汇聚（步幅 1）的结果；下排是平移一个像素后的 \`Z\`。对比上下两排：卷积的响应跟着边缘一起移动，汇聚后的输出大多留在原处；标题下方给出了两者保持不变的输出所占的比例。
    `,
    code("edge-figure")`
      show(edgeShiftFigure("zh").figure)
    `,
    md("pool2d-intro")`
      下面的 \`pool2d\` 函数实现了汇聚层的前向传播。它和 6.2 节的 \`corr2d\` 很像，只是没有卷积核：每个输出就是输入中对应区域的最大值或平均值。
    `,
    code("pool2d-def")`
      function pool2d(X: Tensor, poolSize: [number, number], mode: "max" | "avg" = "max"): Tensor {
        const [pH, pW] = poolSize;
        const Y = torch.zeros([X.shape[0] - pH + 1, X.shape[1] - pW + 1]);
        for (let i = 0; i < Y.shape[0]; i++) {
          for (let j = 0; j < Y.shape[1]; j++) {
            if (mode === "max") {
              Y.set([i, j], X.index([i, i + pH], [j, j + pW]).max());
            } else if (mode === "avg") {
              Y.set([i, j], X.index([i, i + pH], [j, j + pW]).mean());
            }
          }
        }
        return Y;
      }
    `,
    md("pool2d-max-intro")`
      \`X.index([i, i + pH], [j, j + pW])\` 就是 PyTorch 的切片 \`X[i: i + p_h, j: j + p_w]\`，\`Y.set([i, j], v)\` 就是赋值 \`Y[i, j] = v\`。

      构造图 6.5.1 中的输入张量 \`X\`，**验证二维最大汇聚层的输出**。
    `,
    code("pool2d-max", "zh/pool2d-max")`
      const X = torch.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]]);
      pool2d(X, [2, 2])
    `,
    md("pool2d-max-figure-caption")`
      逐步看窗口怎样滑动：拖动滑块或点“播放”，红框是当前的汇聚窗口，绿圈标出被选中的最大值，右边的输出随之逐格填好。
    `,
    code("pool2d-max-figure")`
      show(slidingWindowFigure(X, 2, { mode: "max", stride: 1, lang: "zh" }))
    `,
    md("pool2d-avg-intro")`
      同样可以**验证平均汇聚层**。
    `,
    code("pool2d-avg", "zh/pool2d-avg")`
      pool2d(X, [2, 2], "avg")
    `,
    md("pool2d-avg-figure-caption")`
      平均汇聚时窗口内的每个元素都参与计算（整个红框被涂上颜色），输出是这四个数的平均值。
    `,
    code("pool2d-avg-figure")`
      show(slidingWindowFigure(X, 2, { mode: "avg", stride: 1, lang: "zh" }))
    `,
    md("padding-stride")`
      ## 填充和步幅

      和卷积层一样，汇聚层也会改变输出的形状，我们同样可以通过填充和步幅得到想要的输出形状。下面用深度学习框架内置的二维最大汇聚层来演示填充和步幅。先构造一个四维的输入张量 \`X\`，其中样本数和通道数都是 1。
    `,
    code("arange-x", "zh/arange-x")`
      let X = torch.arange(16, { dtype: torch.float32 }).reshape(1, 1, 4, 4);
      X
    `,
    md("default-stride")`
      **默认情况下，框架中汇聚层的步幅与汇聚窗口的大小相同。** 因此如果窗口形状为 \`(3, 3)\`，步幅默认也是 \`(3, 3)\`，$4 \times 4$ 的输入上只放得下一个窗口。汇聚层没有模型参数，所以不需要初始化。

      PyTorch 里这一层被赋给了 \`pool2d\`，覆盖了上面的函数；这里把它叫作 \`pool\`，好让上面的 \`pool2d\` 依然可用。
    `,
    code("maxpool-default-stride", "zh/maxpool-default-stride")`
      let pool = nn.MaxPool2d(3);
      pool(X)
    `,
    md("manual-padding-stride")`
      **填充和步幅可以手动设定。** 这里的 \`padding: 1\` 和 PyTorch 一样表示每一侧（上、下、左、右）各填充一行或一列。
    `,
    code("maxpool-padding-stride", "zh/maxpool-padding-stride")`
      pool = nn.MaxPool2d(3, { padding: 1, stride: 2 });
      pool(X)
    `,
    md("padding-stride-figure-caption")`
      看这一层在 \`X\` 的 $4 \times 4$ 平面上怎样工作：灰色格子是填充，它们从不会被选为最大值；窗口每次跳两格，所以只停四个位置，输出是 $2 \times 2$。
    `,
    code("padding-stride-figure")`
      show(slidingWindowFigure(X.reshape(4, 4), 3, { mode: "max", padding: 1, stride: 2, lang: "zh" }))
    `,
    md("rectangular")`
      当然，我们也可以**设定任意大小的矩形汇聚窗口，并分别设定高和宽方向上的填充和步幅**。
    `,
    code("maxpool-rect", "zh/maxpool-rect")`
      pool = nn.MaxPool2d([2, 3], { stride: [2, 3], padding: [0, 1] });
      pool(X)
    `,
    md("channels")`
      ## 多个通道

      处理多通道输入时，**汇聚层在每个输入通道上单独运算**，而不像卷积层那样把各通道的结果加在一起。因此汇聚层的输出通道数与输入通道数相同。下面在通道维度上连结 \`X\` 和 \`X + 1\`，构造出有 2 个通道的输入（TypeScript 没有运算符重载，\`X + 1\` 写作 \`X.add(1)\`）。
    `,
    code("cat-channels", "zh/cat-channels")`
      X = torch.cat([X, X.add(1)], 1);
      X
    `,
    md("channels-pool")`
      可以看到，汇聚之后输出通道数仍然是 2。
    `,
    code("maxpool-channels", "zh/maxpool-channels")`
      pool = nn.MaxPool2d(3, { padding: 1, stride: 2 });
      pool(X)
    `,
    md("summary")`
      ## 小结

      * 对于汇聚窗口中的输入元素，最大汇聚层输出其中的最大值，平均汇聚层输出其中的平均值。
      * 汇聚层的一个主要好处是减轻卷积层对位置的过度敏感。
      * 汇聚层的填充和步幅可以自行指定。
      * 最大汇聚层配合大于 1 的步幅，可以缩小空间维度（如高和宽）。
      * 汇聚层的输出通道数与输入通道数相同。
    `,
    md("exercises")`
      ## 练习

      每道练习对应 \`exercises/\` 下的一个文件，文件开头写明了要实现什么；先读题，再打开文件动手。

      ${exerciseList("zh")}

      做练习的方法：在编辑器里修改文件并保存；想在笔记本里试用时，先重启内核（每次加载都会重新编译你的文件），再像这样导入：\`import { minPool2d } from "d2l-pooling/exercises/min-pool";\`。书面回答写在文件里的字符串常量中。
    `,
    md("grade-intro")`
      下面的单元格对 \`exercises/\` 中你当前的文件运行评分测试，并显示每道练习的得分；在终端中运行 \`npm run grade\` 效果相同。
    `,
    code("grade")`
      import { showGrade } from "d2l-pooling/grader";
      await showGrade();
    `,
  ];
}

// ---------------------------------------------------------------------------------------------
// notebooks/en/pooling.ipynb — d2l-en "Pooling"

function enPooling() {
  return [
    md("title")`
      # Pooling

      Many tasks ask a question about the image as a whole, such as *is there a cat in it?*, so the units of the last layer need to respond to the entire input. By aggregating information step by step into coarser and coarser maps, a network reaches such a global representation while the intermediate layers keep every advantage of convolutions. The deeper a unit sits, the larger its receptive field in the input; lowering the spatial resolution speeds this growth up, because each convolution kernel then covers a larger effective area.

      Low-level features such as edges (see the section on convolutions for images) raise a second wish: the representation should be somewhat invariant to translation. Take an image \`X\` with a sharp boundary between black and white and move it by one pixel, \`Z[i, j] = X[i, j + 1]\`: the output for \`Z\` can look very different, because the edge has moved by one pixel. Real objects practically never land on exactly the same pixels. Even with a tripod and a motionless subject, the shutter's vibration can move the whole picture by about a pixel (expensive cameras carry special hardware against exactly this).

      This section introduces *pooling layers*. They do two jobs: they make convolutional layers less sensitive to location, and they downsample representations spatially.
    `,
    code("imports")`
      import { torch, nn, Tensor } from "d2l-pooling";
    `,
    md("plot-note")`
      The pictures in this notebook come from \`d2l-pooling/plot\`: \`show(figure)\` draws an interactive plotly figure in the notebook (zoom, hover for values; the sliding-window figures can play).
    `,
    code("plot-imports")`
      import { show, slidingWindowFigure, edgeShiftFigure } from "d2l-pooling/plot";
    `,
    md("max-avg")`
      ## Maximum Pooling and Average Pooling

      A *pooling* operator works like a convolutional layer in one respect: a window of fixed shape, the *pooling window*, slides over every region of the input according to a stride and produces one output at each place it stops. Unlike a convolution, though, pooling has no parameters (there is no *kernel*). The operator is fixed in advance and usually takes either the maximum or the mean of the elements inside the window: *maximum pooling* (*max-pooling*) and *average pooling*.

      Average pooling is about as old as CNNs themselves. It resembles downsampling an image: instead of keeping only every second (or third) pixel, we average neighbouring pixels, and because several pixels contribute, the smaller image has a better signal-to-noise ratio. Max-pooling was introduced in cognitive neuroscience by Riesenhuber and Poggio (1999), as a model of how information might be aggregated hierarchically for object recognition; speech recognition had used an earlier form of it (Yamaguchi et al., 1990). In nearly all cases max-pooling is the better choice of the two.

      Either way, just as with cross-correlation, picture the window starting at the upper-left corner of the input tensor and moving from left to right and from top to bottom. Wherever it stops, it outputs the maximum or the average of the subtensor it covers, depending on which kind of pooling is used.
    `,
    md("fig-pooling")`
      **Figure: max-pooling with a $2 \times 2$ window.** The input is the $3 \times 3$ tensor holding 0 to 8; the window first covers 0, 1, 3 and 4 in the upper-left corner and outputs 4. The output tensor has height 2 and width 2, and each of its four elements is the maximum of one window:

      $$
      \max(0, 1, 3, 4)=4,\\
      \max(1, 2, 4, 5)=5,\\
      \max(3, 4, 6, 7)=7,\\
      \max(4, 5, 7, 8)=8.\\
      $$
    `,
    md("edge")`
      In general, a $p \times q$ pooling layer aggregates over windows of that size. Back to edge detection: feed the convolutional layer's output into $2 \times 2$ max-pooling, and call the convolution's input \`X\` and the pooling output \`Y\`. Whether or not \`X[i, j]\`, \`X[i, j + 1]\`, \`X[i + 1, j]\` and \`X[i + 1, j + 1]\` differ from one another, the pooling layer still outputs \`Y[i, j] = 1\`. So with $2 \times 2$ max-pooling, a pattern found by the convolutional layer is still detected when it moves by at most one element in height or width.

      The figure below plays this out. The top row shows the image \`X\`, its edge response (the kernel \`[1, -1]\` from the section on convolutions) and that response after $2 \times 2$ max-pooling with stride 1; the bottom row shows the same for \`Z\`, the image moved by one pixel. Compare the two rows: the convolution's response moves along with the edge, while most pooled outputs stay where they were. The subtitle gives the fraction of outputs that did not change.
    `,
    code("edge-figure")`
      show(edgeShiftFigure("en").figure)
    `,
    md("pool2d-intro")`
      The function \`pool2d\` below **implements the forward propagation of the pooling layer**. It is close to \`corr2d\` from the section on convolutions, except that there is no kernel: each output is the maximum or the average of one region of the input.
    `,
    code("pool2d-def")`
      function pool2d(X: Tensor, poolSize: [number, number], mode: "max" | "avg" = "max"): Tensor {
        const [pH, pW] = poolSize;
        const Y = torch.zeros([X.shape[0] - pH + 1, X.shape[1] - pW + 1]);
        for (let i = 0; i < Y.shape[0]; i++) {
          for (let j = 0; j < Y.shape[1]; j++) {
            if (mode === "max") {
              Y.set([i, j], X.index([i, i + pH], [j, j + pW]).max());
            } else if (mode === "avg") {
              Y.set([i, j], X.index([i, i + pH], [j, j + pW]).mean());
            }
          }
        }
        return Y;
      }
    `,
    md("pool2d-max-intro")`
      \`X.index([i, i + pH], [j, j + pW])\` is PyTorch's slice \`X[i: i + p_h, j: j + p_w]\`, and \`Y.set([i, j], v)\` is the assignment \`Y[i, j] = v\`.

      Build the input tensor \`X\` of the figure to **check the output of two-dimensional max-pooling**.
    `,
    code("pool2d-max", "en/pool2d-max")`
      const X = torch.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]]);
      pool2d(X, [2, 2])
    `,
    md("pool2d-max-figure-caption")`
      Watch the window move: drag the slider or press Play. The red frame is the current pooling window, the green circle marks the maximum it picks, and the output on the right fills in cell by cell.
    `,
    code("pool2d-max-figure")`
      show(slidingWindowFigure(X, 2, { mode: "max", stride: 1, lang: "en" }))
    `,
    md("pool2d-avg-intro")`
      We can also try **average pooling**.
    `,
    code("pool2d-avg", "en/pool2d-avg")`
      pool2d(X, [2, 2], "avg")
    `,
    md("pool2d-avg-figure-caption")`
      With average pooling every element of the window counts (the whole red frame is shaded), and the output is the mean of its four values.
    `,
    code("pool2d-avg-figure")`
      show(slidingWindowFigure(X, 2, { mode: "avg", stride: 1, lang: "en" }))
    `,
    md("padding-stride")`
      ## Padding and Stride

      Pooling layers change the shape of their output, just as convolutional layers do, and as before padding and stride let us get the output shape we want. We show them with the framework's built-in two-dimensional max-pooling layer. First we build an input tensor \`X\` with four dimensions, where the number of examples (the batch size) and the number of channels are both 1.
    `,
    code("arange-x", "en/arange-x")`
      let X = torch.arange(16, { dtype: torch.float32 }).reshape(1, 1, 4, 4);
      X
    `,
    md("default-stride")`
      A pooling window gathers information from a whole area, so **frameworks make the stride equal to the window size by default**. A \`(3, 3)\` window therefore moves with stride \`(3, 3)\`, and only one window fits into the $4 \times 4$ input.

      PyTorch's code assigns this layer to \`pool2d\`, replacing the function above; here it is called \`pool\` so that \`pool2d\` keeps working.
    `,
    code("maxpool-default-stride", "en/maxpool-default-stride")`
      let pool = nn.MaxPool2d(3);
      // Pooling has no model parameters, hence it needs no initialization
      pool(X)
    `,
    md("manual-padding-stride")`
      Of course, **stride and padding can be set by hand** when the defaults do not fit. As in PyTorch, \`padding: 1\` adds one row or column on each side (top, bottom, left and right).
    `,
    code("maxpool-padding-stride", "en/maxpool-padding-stride")`
      pool = nn.MaxPool2d(3, { padding: 1, stride: 2 });
      pool(X)
    `,
    md("padding-stride-figure-caption")`
      Here is that layer on the $4 \times 4$ plane of \`X\`. The grey cells are padding, and they are never picked as the maximum; the window jumps two cells at a time, so it stops at only four places and the output is $2 \times 2$.
    `,
    code("padding-stride-figure")`
      show(slidingWindowFigure(X.reshape(4, 4), 3, { mode: "max", padding: 1, stride: 2, lang: "en" }))
    `,
    md("rectangular")`
      A window may also be a rectangle, with its own height and width, and with padding and stride set separately for each direction, as the example below shows.
    `,
    code("maxpool-rect", "en/maxpool-rect")`
      pool = nn.MaxPool2d([2, 3], { stride: [2, 3], padding: [0, 1] });
      pool(X)
    `,
    md("channels")`
      ## Multiple Channels

      On a multi-channel input, **a pooling layer pools each input channel on its own**; it does not sum over the channels the way a convolutional layer does. A pooling layer therefore has as many output channels as input channels. Below we concatenate \`X\` and \`X + 1\` along the channel dimension to get an input with two channels (TypeScript has no operator overloading, so \`X + 1\` is written \`X.add(1)\`).
    `,
    code("cat-channels", "en/cat-channels")`
      X = torch.cat([X, X.add(1)], 1);
      X
    `,
    md("channels-pool")`
      After pooling there are still two channels.
    `,
    code("maxpool-channels", "en/maxpool-channels")`
      pool = nn.MaxPool2d(3, { padding: 1, stride: 2 });
      pool(X)
    `,
    md("summary")`
      ## Summary

      Pooling is a very simple operation: as its name says, it aggregates the values inside a window. Everything we learned about convolutions, such as stride and padding, carries over unchanged. Pooling does not mix channels: it works on each channel separately and keeps their number. Of the two common choices, max-pooling is usually better than average pooling, since it makes the output somewhat invariant to small shifts. A $2 \times 2$ window is a popular choice; with stride 2 it cuts the spatial resolution to a quarter.

      Pooling is not the only way to lower the resolution. Stochastic pooling (Zeiler and Fergus, 2013) and fractional max-pooling (Graham, 2014) mix aggregation with randomness, which can improve accuracy a little in some cases. And, as we will see with the attention mechanism, outputs can be aggregated in more refined ways, for example by weighting them according to how well a query matches each representation vector.
    `,
    md("exercises")`
      ## Exercises

      Each exercise has a file in \`exercises/\` whose header says exactly what to implement; read the question here, then open the file.

      ${exerciseList("en")}

      How to work on them: edit a file in your editor and save it. To try it in a notebook, restart the kernel (every load compiles your current file) and import it like this: \`import { minPool2d } from "d2l-pooling/exercises/min-pool";\`. Written answers go into the string constants in the files.
    `,
    md("grade-intro")`
      The next cell runs the graded tests on your current files in \`exercises/\` and shows the score of each exercise; \`npm run grade\` in a terminal does the same.
    `,
    code("grade")`
      import { showGrade } from "d2l-pooling/grader";
      await showGrade();
    `,
  ];
}

// ---------------------------------------------------------------------------------------------
// notebooks/{zh,en}/pooling-explore.ipynb — pictures to play with. Same code in both languages;
// only the prose, the printed labels and the figures' lang differ.

const EXPLORE_TEXT = {
  zh: {
    title: `
      # 汇聚层：动手探索

      这个笔记本配合「汇聚层」一节，用交互图看汇聚到底做了什么。每个单元格都可以改参数后重新运行：换一个步幅、填充或窗口大小，看图怎样变化。

      * 滑动窗口：最大汇聚与平均汇聚在不同步幅和填充下的样子；
      * 边缘平移：2×2 最大汇聚让多少输出在平移一个像素后保持不变，以及你在练习 4 中量出的平移和噪声敏感度；
      * 最大、平均、最小和 softmax 汇聚的对比（softmax 汇聚来自你的练习）；
      * 输出形状与计算量的公式，对照实测时间。
    `,
    sliding: `
      ## 滑动窗口

      用一个固定随机种子生成的 $6 \\times 6$ 输入（与 PyTorch 的 \`torch.manual_seed(0); torch.randn(6, 6)\` 逐位相同）。
    `,
    max2: `最大汇聚，$2 \\times 2$ 窗口，步幅默认等于窗口大小：四个窗口互不重叠，每个只留下一个数，输出是 $3 \\times 3$。`,
    max3: `把窗口放大到 $3 \\times 3$、步幅改为 1：相邻窗口大量重叠，同一个较大的值会被好几个窗口选中（留意绿圈反复停在同一格上）。`,
    max3pad: `再加上每侧 1 格填充、步幅 2：灰色的填充格从不会被选为最大值，因为最大汇聚根本不读取它们。下面同时打印输出张量。`,
    avg2: `同样的 $2 \\times 2$ 窗口换成平均汇聚：输出更平滑，单个极端值的影响被周围的数冲淡了。`,
    avg3pad: `平均汇聚加填充时，PyTorch 默认把填充的 0 也算进分母（\`countIncludePad: true\`），所以边角的输出会被拉向 0。把选项改成 \`countIncludePad: false\` 再运行，比较角上的数。`,
    edge: `
      ## 边缘平移

      6.2 节的边缘图像（中间一条黑带）和它平移一个像素后的版本，分别做卷积（核 \`[1, -1]\`）再做 $2 \\times 2$ 最大汇聚（步幅 1）。
    `,
    edgeFraction: `数一数：平移前后完全相同的输出占多少。卷积的输出只有不到一半没变，汇聚之后大部分保持不变，这正是汇聚层“降低对位置的敏感性”的含义。`,
    edgeLabels: ["卷积输出不变的比例", "汇聚后不变的比例"],
    sensitivity: `
      练习 4 要你把这种差别量化：\`shiftSensitivity\` 量平移一个像素后汇聚输出平均变了多少，\`noiseSensitivity\` 量加上噪声后变了多少。下面用你在 \`exercises/max-vs-avg.ts\` 中的实现，对边缘响应和上面的随机输入比较 $2 \\times 2$ 最大汇聚与平均汇聚（步幅 1，噪声标准差 0.1）。还没完成时只打印错误信息；修改文件后重启内核再运行。
    `,
    sensitivityLabels: ["平移", "噪声"],
    sensitivityFailed: "练习 4 尚不可用：",
    compare: `
      ## 最大、平均、最小与 softmax 汇聚

      在同一个输入上并排比较四种汇聚（$2 \\times 2$ 窗口，步幅 2）。最大和平均汇聚直接用 \`F\`；最小汇聚用练习 5 的思路：取负、做最大汇聚、再取负。
    `,
    min: `最小汇聚的结果：每个数都是对应窗口中的最小值。`,
    softmax: `softmax 汇聚来自你在 \`exercises/softmax-pool.ts\` 中的实现（练习 6）。还没完成时，对应的图块会显示“尚未实现”，并打印出错误信息。修改文件后重启内核再运行。`,
    softmaxFailed: "softmax 汇聚尚不可用：",
    compareFigure: `第一幅是输入，后面是各种汇聚的结果，每幅图的颜色各自缩放。比较最大与最小汇聚怎样分别挑出每个窗口的两个极端，而平均汇聚和 softmax 汇聚落在两者之间。`,
    cost: `
      ## 输出形状、计算量与实测时间

      高为 $h$ 的输入，窗口高 $k_h$、每侧填充 $p_h$、步幅 $s_h$ 时，输出的高是 $\\lfloor (h + 2p_h - k_h) / s_h \\rfloor + 1$（宽同理）。每个输出要读 $k_h k_w$ 个数，所以一层大约做 $c \\cdot h_\\text{out} \\cdot w_\\text{out} \\cdot k_h k_w$ 次比较或加法。注意这里的 $p_h$ 是 PyTorch 的每侧填充；练习 3 按书中写法用两侧之和。

      先用公式算几个输出形状，和 \`F.maxPool2d\` 实际给出的形状对照。
    `,
    shapeLabels: ["公式", "实际"],
    timing: `再给 \`F.maxPool2d\` 计时：几种输入大小和窗口，每种先预热一次，再运行 10 次取中位数（总共不到两秒）。打印的时间每次运行都会略有不同。`,
    timingTotal: "计时总共用了",
    costFigure: `如果计算量公式抓住了主要开销，这些点应当大致落在一条过原点的直线上。偏离直线的点说明还有别的开销（例如每个窗口的固定开销，或者缓存的影响）。`,
  },
  en: {
    title: `
      # Pooling: explore

      A companion to the Pooling chapter: interactive pictures of what pooling does. Change a parameter in any cell and run it again (another stride, padding or window size) to see how the picture changes.

      * The sliding window: max and average pooling with different strides and padding.
      * Shifting an edge: how many outputs survive a one-pixel shift after 2×2 max pooling, and the shift and noise sensitivities you measure in exercise 5.
      * Max, average, min and softmax pooling side by side (softmax pooling comes from your exercise).
      * The output-shape and cost formulas, against measured time.
    `,
    sliding: `
      ## The sliding window

      A $6 \\times 6$ input from a fixed random seed (identical, digit for digit, to PyTorch's \`torch.manual_seed(0); torch.randn(6, 6)\`).
    `,
    max2: `Max pooling with a $2 \\times 2$ window and the default stride (the window size): the four-cell windows do not overlap, each keeps one number, and the output is $3 \\times 3$.`,
    max3: `Grow the window to $3 \\times 3$ and use stride 1: neighbouring windows overlap a lot, and one large value can be picked by several windows (watch the green circle come back to the same cell).`,
    max3pad: `Now add one cell of padding on each side and stride 2. The grey padding cells are never chosen, because max pooling does not read them at all. The output tensor is printed below.`,
    avg2: `The same $2 \\times 2$ windows with average pooling: the output is smoother, and a single extreme value is diluted by its neighbours.`,
    avg3pad: `With padding, average pooling by default counts the padded zeros in the divisor (\`countIncludePad: true\`, as in PyTorch), which pulls the border outputs towards 0. Change the option to \`countIncludePad: false\`, run again, and compare the corners.`,
    edge: `
      ## Shifting an edge

      The edge image from the section on convolutions (a black band in the middle) and the same image moved by one pixel, each convolved with the kernel \`[1, -1]\` and then max-pooled with a $2 \\times 2$ window and stride 1.
    `,
    edgeFraction: `Count the outputs that are identical before and after the shift. Fewer than half of the convolution's outputs survive, but most of the pooled ones do: this is what "less sensitive to location" means.`,
    edgeLabels: ["unchanged convolution outputs", "unchanged pooled outputs"],
    sensitivity: `
      Exercise 5 asks you to put numbers on this difference: \`shiftSensitivity\` measures how much the pooled output changes on average when the input moves by one pixel, \`noiseSensitivity\` how much it changes when noise is added. The cell below runs your implementation in \`exercises/max-vs-avg.ts\` on the edge response and on the random input above, for $2 \\times 2$ max and average pooling (stride 1, noise with standard deviation 0.1). Until the exercise is done it prints the error; after editing the file, restart the kernel and run again.
    `,
    sensitivityLabels: ["shift", "noise"],
    sensitivityFailed: "exercise 5 is not available yet:",
    compare: `
      ## Max, average, min and softmax pooling

      Four poolings of one input, side by side ($2 \\times 2$ window, stride 2). Max and average pooling come straight from \`F\`; min pooling uses the idea of exercise 6: negate, max-pool, negate again.
    `,
    min: `Min pooling: each number is the minimum of its window.`,
    softmax: `Softmax pooling is your implementation in \`exercises/softmax-pool.ts\` (exercise 7). Until it is done, its panel says "not implemented yet" and the error is printed. After editing the file, restart the kernel and run again.`,
    softmaxFailed: "softmax pooling is not available yet:",
    compareFigure: `The first panel is the input, the others are the pooled results, each with its own colour range. See how max and min pooling pick the two extremes of every window, while average and softmax pooling land in between.`,
    cost: `
      ## Output shape, cost and measured time

      For an input of height $h$, a window of height $k_h$, padding $p_h$ on each side and stride $s_h$, the output height is $\\lfloor (h + 2p_h - k_h) / s_h \\rfloor + 1$ (the width likewise). Each output reads $k_h k_w$ numbers, so a layer does about $c \\cdot h_\\text{out} \\cdot w_\\text{out} \\cdot k_h k_w$ comparisons or additions. Here $p_h$ is PyTorch's padding per side; exercise 4 follows the book and uses the total of both sides.

      First a few output shapes from the formula, next to the shapes \`F.maxPool2d\` actually returns.
    `,
    shapeLabels: ["formula", "actual"],
    timing: `Now time \`F.maxPool2d\` on a few input sizes and windows: one warm-up call each, then the median of 10 runs (under two seconds in all). The printed times differ a little from run to run.`,
    timingTotal: "timing took",
    costFigure: `If the cost formula captures the main expense, the points lie roughly on a line through the origin. Points off the line show other costs (a fixed cost per window, say, or cache effects).`,
  },
};

function explore(lang) {
  const t = EXPLORE_TEXT[lang];
  const e = (id) => `${lang}/${id}`;
  const m = (id, text) => md(id)`${dedent(text)}`;
  return [
    m("title", t.title),
    code("imports")`
      import { torch, F, Tensor, corr2d } from "d2l-pooling";
      import { show, slidingWindowFigure, edgeShiftFigure, edgeImage, poolingComparisonFigure, costFigure } from "d2l-pooling/plot";
    `,
    m("sliding", t.sliding),
    code("randn", e("explore-randn"))`
      torch.manualSeed(0);
      const x = torch.randn(6, 6);
      x
    `,
    m("max2", t.max2),
    code("max2-figure")`
      show(slidingWindowFigure(x, 2, { mode: "max", lang: "${lang}" }))
    `,
    m("max3", t.max3),
    code("max3-figure")`
      show(slidingWindowFigure(x, 3, { mode: "max", stride: 1, lang: "${lang}" }))
    `,
    m("max3pad", t.max3pad),
    code("max3pad-figure")`
      show(slidingWindowFigure(x, 3, { mode: "max", stride: 2, padding: 1, lang: "${lang}" }))
    `,
    code("max3pad-output", e("explore-max3-pad1-stride2"))`
      F.maxPool2d(x.reshape(1, 1, 6, 6), 3, { stride: 2, padding: 1 })
    `,
    m("avg2", t.avg2),
    code("avg2-figure")`
      show(slidingWindowFigure(x, 2, { mode: "avg", lang: "${lang}" }))
    `,
    code("avg2-output", e("explore-avg2"))`
      F.avgPool2d(x.reshape(1, 1, 6, 6), 2)
    `,
    m("avg3pad", t.avg3pad),
    code("avg3pad-figure")`
      show(slidingWindowFigure(x, 3, { mode: "avg", stride: 2, padding: 1, lang: "${lang}" }))
    `,
    code("avg3pad-output", e("explore-avg3-pad1-stride2"))`
      F.avgPool2d(x.reshape(1, 1, 6, 6), 3, { stride: 2, padding: 1, countIncludePad: true })
    `,
    m("edge", t.edge),
    code("edge-figure")`
      const edge = edgeShiftFigure("${lang}");
      show(edge.figure)
    `,
    m("edge-fraction-note", t.edgeFraction),
    code("edge-fraction", e("explore-edge-unchanged"))`
      console.log(\`${t.edgeLabels[0]}: \${edge.unchangedConv.toFixed(4)}\`);
      console.log(\`${t.edgeLabels[1]}: \${edge.unchangedPooled.toFixed(4)}\`);
    `,
    m("sensitivity-note", t.sensitivity),
    code("sensitivity")`
      const pools = {
        max: (X: Tensor) => F.maxPool2d(X, 2, { stride: 1 }),
        avg: (X: Tensor) => F.avgPool2d(X, 2, { stride: 1 }),
      };
      const response = corr2d(edgeImage(), torch.tensor([[1, -1]]));
      const images = { edge: response.reshape(1, 1, ...response.shape), randn: x.reshape(1, 1, 6, 6) };
      torch.manualSeed(1);
      try {
        // require, not import: this cell must run even while the exercise is not done.
        const { shiftSensitivity, noiseSensitivity } = require("d2l-pooling/exercises/max-vs-avg");
        for (const [name, image] of Object.entries(images)) {
          const noise = torch.randn([...image.shape]).mul(0.1);
          for (const [kind, pool] of Object.entries(pools)) {
            const shift = shiftSensitivity(pool, image).toFixed(4);
            const noisy = noiseSensitivity(pool, image, noise).toFixed(4);
            console.log(\`\${name.padEnd(5)} \${kind}  ${t.sensitivityLabels[0]} \${shift}  ${t.sensitivityLabels[1]} \${noisy}\`);
          }
        }
      } catch (error) {
        console.log("${t.sensitivityFailed}", error instanceof Error ? error.message : String(error));
      }
    `,
    m("compare", t.compare),
    code("compare-f")`
      const input = x.reshape(1, 1, 6, 6);
      const maxPooled = F.maxPool2d(input, 2);
      const avgPooled = F.avgPool2d(input, 2);
      const minPooled = F.maxPool2d(input.neg(), 2).neg();
    `,
    m("min", t.min),
    code("min-output", e("explore-min2"))`
      minPooled
    `,
    m("softmax-note", t.softmax),
    code("softmax")`
      let softmaxPooled: Tensor | Error;
      try {
        // require, not import: this cell must run even while the exercise does not exist or does not compile.
        const exercise = require("d2l-pooling/exercises/softmax-pool");
        softmaxPooled = exercise.softmaxPool2d(input, 2);
      } catch (error) {
        softmaxPooled = error instanceof Error ? error : new Error(String(error));
        console.log("${t.softmaxFailed}", softmaxPooled.message);
      }
    `,
    m("compare-figure-note", t.compareFigure),
    code("compare-figure")`
      show(poolingComparisonFigure(x, { max: maxPooled, avg: avgPooled, min: minPooled, softmax: softmaxPooled }, "${lang}"))
    `,
    m("cost", t.cost),
    code("output-size")`
      const outputSize = (n: number, k: number, p: number, s: number) => Math.floor((n + 2 * p - k) / s) + 1;
    `,
    code("shapes", e("explore-shapes"))`
      for (const [n, k, p, s] of [[6, 2, 0, 2], [6, 3, 1, 2], [7, 3, 0, 2], [8, 3, 1, 1], [32, 5, 2, 3]]) {
        const y = F.maxPool2d(torch.zeros(1, 1, n, n), k, { padding: p, stride: s });
        const m = outputSize(n, k, p, s);
        console.log(\`n=\${n} k=\${k} p=\${p} s=\${s}  ${t.shapeLabels[0]}: [1, 1, \${m}, \${m}]  ${t.shapeLabels[1]}: [\${y.shape.join(", ")}]\`);
      }
    `,
    m("timing-note", t.timing),
    code("timing")`
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const configs = [
        { c: 1, n: 32, k: 2, s: 2 },
        { c: 4, n: 32, k: 3, s: 1 },
        { c: 8, n: 64, k: 2, s: 2 },
        { c: 8, n: 64, k: 3, s: 1 },
        { c: 16, n: 64, k: 3, s: 2 },
        { c: 16, n: 64, k: 4, s: 1 },
        { c: 16, n: 96, k: 3, s: 1 },
        { c: 32, n: 64, k: 5, s: 1 },
      ];
      const points: { ops: number; ms: number; label: string }[] = [];
      const start = performance.now();
      for (const { c, n, k, s } of configs) {
        const planes = torch.randn(1, c, n, n);
        F.maxPool2d(planes, k, { stride: s }); // warm-up
        const times: number[] = [];
        for (let run = 0; run < 10; run++) {
          const t0 = performance.now();
          F.maxPool2d(planes, k, { stride: s });
          times.push(performance.now() - t0);
        }
        const out = outputSize(n, k, 0, s);
        const ops = c * out * out * k * k;
        const label = \`c=\${c} \${n}×\${n} k=\${k} s=\${s}\`;
        points.push({ ops, ms: median(times), label });
        console.log(\`\${label.padEnd(22)} ops=\${String(ops).padStart(7)}  \${median(times).toFixed(3)} ms\`);
      }
      console.log(\`${t.timingTotal} \${((performance.now() - start) / 1000).toFixed(2)} s\`);
    `,
    m("cost-figure-note", t.costFigure),
    code("cost-figure")`
      show(costFigure(points, "${lang}"))
    `,
  ];
}

// ---------------------------------------------------------------------------------------------

const NOTEBOOKS = [
  { file: "notebooks/zh/pooling.ipynb", lang: "zh", cells: zhPooling },
  { file: "notebooks/en/pooling.ipynb", lang: "en", cells: enPooling },
  { file: "notebooks/zh/pooling-explore.ipynb", lang: "zh", cells: () => explore("zh") },
  { file: "notebooks/en/pooling-explore.ipynb", lang: "en", cells: () => explore("en") },
];

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
}

/** The notebooks as { file, text }, without touching the disk. */
function render() {
  return NOTEBOOKS.map(({ file, lang, cells }) => {
    const name = path.basename(file, ".ipynb");
    // Keys sorted and one-space indent, as Jupyter itself saves a notebook: saving in Jupyter keeps the diff small.
    return { file, text: JSON.stringify(sortKeys(notebook(name, lang, cells())), null, 1) + "\n" };
  });
}

/** Every tagged cell: { notebook, cellId, expect }. Used by tests to check ids against the fixtures. */
function expectations() {
  return render().flatMap(({ file, text }) =>
    JSON.parse(text)
      .cells.filter((c) => c.metadata.d2l && c.metadata.d2l.expect)
      .map((c) => ({ notebook: file, cellId: c.id, expect: c.metadata.d2l.expect })),
  );
}

module.exports = { render, expectations };

if (require.main === module) {
  const check = process.argv.includes("--check");
  let stale = 0;
  for (const { file, text } of render()) {
    const target = path.join(ROOT, file);
    const before = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : null;
    if (before === text) continue;
    if (check) {
      console.error(`${file} is out of date: run \`node scripts/notebooks/build.js\``);
      stale++;
    } else {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, text);
      console.log(`wrote ${file}`);
    }
  }
  if (check && stale > 0) process.exit(1);
  if (check) console.log("notebooks are up to date");
}
