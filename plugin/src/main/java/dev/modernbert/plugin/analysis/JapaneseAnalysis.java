package dev.modernbert.plugin.analysis;

import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.ja.JapaneseAnalyzer;
import org.apache.lucene.analysis.ja.JapaneseTokenizer;
import org.opensearch.common.settings.Settings;
import org.opensearch.index.IndexSettings;
import org.opensearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.opensearch.index.analysis.AbstractTokenizerFactory;
import org.opensearch.index.analysis.AnalyzerProvider;
import org.opensearch.index.analysis.TokenizerFactory;
import org.opensearch.indices.analysis.AnalysisModule.AnalysisProvider;

/**
 * Japanese analysis for keyword (BM25) search next to the vectors, from Lucene's kuromoji morphological analyzer
 * (the node's Lucene version; no kuromoji plugin exists on Maven Central for OpenSearch 3.6.0). The names carry
 * the plugin's prefix, so that they never clash with an analysis-kuromoji plugin installed beside it.
 */
public final class JapaneseAnalysis {
  /**
   * Kuromoji in search mode (compounds also as their parts: 関西国際空港 → 関西 / 国際 / 空港), base forms,
   * part-of-speech and stop-word filtering, katakana stemming and lower-casing.
   */
  public static final String ANALYZER = "modernbert_ja";
  /** The kuromoji tokenizer alone (search mode, punctuation dropped), for custom analyzers. */
  public static final String TOKENIZER = "modernbert_ja_tokenizer";

  private JapaneseAnalysis() {}

  /** {@value #ANALYZER}, for {@code AnalysisPlugin#getAnalyzers}. */
  public static Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> analyzers() {
    return Map.of(ANALYZER, (indexSettings, env, name, settings) -> new Provider(indexSettings, name, settings));
  }

  /** {@value #TOKENIZER}, for {@code AnalysisPlugin#getTokenizers}. */
  public static Map<String, AnalysisProvider<TokenizerFactory>> tokenizers() {
    return Map.of(TOKENIZER, (indexSettings, env, name, settings) -> new AbstractTokenizerFactory(indexSettings,
        settings, name) {
      @Override
      public Tokenizer create() {
        return new JapaneseTokenizer(null, true, JapaneseTokenizer.Mode.SEARCH);
      }
    });
  }

  private static final class Provider extends AbstractIndexAnalyzerProvider<JapaneseAnalyzer> {
    private final JapaneseAnalyzer analyzer = new JapaneseAnalyzer();

    Provider(IndexSettings indexSettings, String name, Settings settings) {
      super(indexSettings, name, settings);
    }

    @Override
    public JapaneseAnalyzer get() {
      return analyzer;
    }
  }
}
