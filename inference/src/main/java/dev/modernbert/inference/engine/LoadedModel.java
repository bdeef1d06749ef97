package dev.modernbert.inference.engine;

import ai.onnxruntime.OrtException;
import dev.modernbert.inference.model.InvalidModelException;
import dev.modernbert.inference.model.ModelFolder;
import dev.modernbert.inference.onnx.CompileOptions;
import dev.modernbert.inference.onnx.CompiledModelCache;
import dev.modernbert.inference.runtime.Encoder;
import dev.modernbert.inference.runtime.OnnxEncoder;
import dev.modernbert.inference.runtime.OnnxSessions;
import dev.modernbert.inference.runtime.TokenBudgetBatcher;
import dev.modernbert.inference.tokenizer.ModelTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;

/** A model folder made ready to run: its tokenizer, an encoder, and a {@link TextEmbedder} over them. */
public final class LoadedModel implements AutoCloseable {
  private final ModelFolder folder;
  private final ModelTokenizer tokenizer;
  private final Encoder encoder;

  private LoadedModel(ModelFolder folder, ModelTokenizer tokenizer, Encoder encoder) {
    this.folder = folder;
    this.tokenizer = tokenizer;
    this.encoder = encoder;
  }

  /** Opens {@code dir}, compiling (or reusing) its ONNX graph, and runs it on ONNX Runtime. */
  public static LoadedModel load(Path dir, EngineSettings settings) {
    return load(dir, folder -> onnxEncoder(folder, settings));
  }

  /** Opens {@code dir} with the encoder {@code encoders} makes for it (e.g. a reference implementation). */
  public static LoadedModel load(Path dir, Function<ModelFolder, Encoder> encoders) {
    ModelFolder folder = ModelFolder.open(dir);
    ModelTokenizer tokenizer = ModelTokenizer.load(dir);
    try {
      return new LoadedModel(folder, tokenizer, encoders.apply(folder));
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  private static Encoder onnxEncoder(ModelFolder folder, EngineSettings s) {
    try {
      OnnxSessions.Opened opened = open(folder, s);
      return new OnnxEncoder(opened, folder.hiddenSize(), folder.padTokenId(),
          new TokenBudgetBatcher(s.batchTokensOn(opened.device()), s.maxBatchPadding()), folder.profile().pooling());
    } catch (IOException e) {
      throw new InvalidModelException(folder.dir().getFileName() + ": cannot compile the ONNX graph: " + e.getMessage(), e);
    } catch (OrtException e) {
      throw new InvalidModelException(folder.dir().getFileName() + ": ONNX Runtime cannot load the graph: "
          + firstLine(e.getMessage()), e);
    }
  }

  /**
   * A session for the folder's graph: checkpoints compiled in fp16 where CUDA is tried and on the CPU in fp32, or
   * int8 when {@link EngineSettings#quantization()} asks — also when CUDA then fails to load, since fp32 is faster
   * and exact there; exported graphs as they are, or on the CPU with their linear layers in int8. int8 weights
   * have as many bits as this CPU multiplies exactly, unless the settings name a format.
   */
  private static OnnxSessions.Opened open(ModelFolder folder, EngineSettings s) throws IOException, OrtException {
    Path cache = s.cacheDir() != null ? s.cacheDir() : folder.dir().resolve(CompiledModelCache.DEFAULT_DIR);
    if (folder.format() == ModelFolder.Format.EXPORTED_ONNX) {
      Path exported = folder.dir().resolve(ModelFolder.EXPORTED_GRAPH);
      if (s.quantization() == Quantization.NONE) {
        return OnnxSessions.open(exported, s.device(), s.intraOpThreads());
      }
      return OnnxSessions.open(() -> exported,
          () -> CompiledModelCache.quantizedExport(folder, s.int8WeightsOnThisCpu(), cache), s.device(),
          s.intraOpThreads());
    }
    CompileOptions fp32 = new CompileOptions(s.attention(), folder.profile().pooling(), false);
    CompileOptions cpu = s.quantization() == Quantization.INT8 ? fp32.withInt8Weights(s.int8WeightsOnThisCpu())
        : fp32;
    return OnnxSessions.open(
        () -> CompiledModelCache.graph(folder, fp32.withPrecision(CompileOptions.Precision.FP16), cache),
        () -> CompiledModelCache.graph(folder, cpu, cache), s.device(), s.intraOpThreads());
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }

  /** An embedder limited to {@code maxTokens} (at most the model's limit). */
  public TextEmbedder embedder(int maxTokens) {
    return new TextEmbedder(tokenizer, encoder, Math.min(maxTokens, folder.maxTokens()));
  }

  public ModelFolder folder() {
    return folder;
  }

  public ModelTokenizer tokenizer() {
    return tokenizer;
  }

  public Encoder encoder() {
    return encoder;
  }

  @Override
  public void close() {
    encoder.close();
    tokenizer.close();
  }
}
