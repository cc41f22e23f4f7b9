package io.flowrecon.api.imageset;

import io.flowrecon.api.config.ApiConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads the image sets that the configuration declares from server folders (e.g. the CelebA test split and
 * the FFHQ development faces under {@code FLOWRECON_DATA}). Loading runs on a background thread so that the
 * API answers at once; a missing folder is logged and skipped, never fatal. Loading is idempotent: a set whose
 * folder and recipe are unchanged is left as it is.
 */
@ApplicationScoped
public class ConfiguredImageSets {

    private static final Logger LOG = Logger.getLogger(ConfiguredImageSets.class);

    private final ApiConfig config;
    private final ImageSetStore store;
    private Thread loader;

    public ConfiguredImageSets(ApiConfig config, ImageSetStore store) {
        this.config = config;
        this.store = store;
    }

    void start(@Observes StartupEvent event) {
        if (!config.imageSets().loadFolders() || config.imageSets().folders().isEmpty()) {
            return;
        }
        List<FolderRecipe> recipes = new ArrayList<>();
        for (Map.Entry<String, ApiConfig.ImageSets.Folder> folder : config.imageSets().folders().entrySet()) {
            ApiConfig.ImageSets.Folder f = folder.getValue();
            recipes.add(new FolderRecipe(folder.getKey(), Path.of(f.path()), f.recipe(), f.split(), f.size(), f.limit()));
        }
        loader = new Thread(() -> recipes.forEach(this::loadQuietly), "flowrecon-image-sets");
        loader.setDaemon(true);
        loader.start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (loader != null) {
            loader.interrupt();
        }
    }

    private void loadQuietly(FolderRecipe recipe) {
        try {
            load(recipe);
        } catch (IOException | SQLException | RuntimeException e) {
            LOG.warnf("image set '%s' from %s not loaded: %s", recipe.name(), recipe.folder(), e.getMessage());
        }
    }

    /**
     * Loads one configured set now.
     *
     * @return true when the set was written, false when it was already there or its folder is missing
     */
    public boolean load(FolderRecipe recipe) throws IOException, SQLException {
        if (!Files.isDirectory(recipe.folder())) {
            LOG.infof("image set '%s': folder %s does not exist; skipped", recipe.name(), recipe.folder());
            return false;
        }
        ImageSetChecker checker = new ImageSetChecker(new ImageSetLimits(
                config.imageSets().maxImages(), Long.MAX_VALUE, config.imageSets().maxSide()));
        List<ImageSetEntry> entries = recipe.entries();
        if (entries.isEmpty()) {
            LOG.infof("image set '%s': no image files in %s; skipped", recipe.name(), recipe.folder());
            return false;
        }
        ImageSetChecker.CheckedSet set = checker.check(entries);
        boolean written = store.replaceConfigured(recipe.name(), recipe.source(), set);
        if (written) {
            LOG.infof("image set '%s': %d images %s from %s", recipe.name(), set.images().size(),
                    ImageSetChecker.text(set.shape()), recipe.folder());
        }
        return written;
    }
}
