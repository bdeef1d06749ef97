package dev.modernbert.tools.cli;

import dev.modernbert.inference.download.HubEndpoint;
import dev.modernbert.inference.download.ModelDownloader;
import dev.modernbert.inference.model.ModelFolder;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code download HF_ID --out DIR [--revision R] [--endpoint URL]}: a model folder from the Hugging Face hub
 * ({@code HF_ENDPOINT} and {@code HF_TOKEN} are honoured), opened afterwards to prove it loads.
 */
final class DownloadCommand implements Main.Command {
  @Override
  public void run(List<String> argv) throws Exception {
    Args a = Args.parse(argv, Set.of(), Set.of("out", "revision", "endpoint"));
    if (a.positional().size() != 1) {
      throw new UsageException("give exactly one model id, e.g. cl-nagoya/ruri-v3-30m");
    }
    Path out = Path.of(a.required("out"));
    ModelDownloader downloader = new ModelDownloader(HubEndpoint.resolve(a.get("endpoint", null), System.getenv()),
        System.getenv("HF_TOKEN"), System.err::println);
    List<String> files;
    try {
      files = downloader.download(a.positional().get(0), a.get("revision", "main"), out);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    ModelFolder folder = ModelFolder.open(out);
    System.err.println("downloaded " + files.size() + " files to " + out + ": " + folder.format() + ", dimension "
        + folder.hiddenSize() + ", max tokens " + folder.maxTokens());
  }

  @Override
  public String usage() {
    return "download HF_ID --out DIR [--revision R] [--endpoint URL]   (HF_ENDPOINT, HF_TOKEN honoured)";
  }
}
