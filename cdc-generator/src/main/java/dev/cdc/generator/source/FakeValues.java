package dev.cdc.generator.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.random.RandomGenerator;
import net.datafaker.Faker;

/**
 * Realistic values, drawn from pools that Datafaker fills once from the run's seed: Datafaker is far too slow to
 * call per event at 100,000 events/s, and pools keep runs deterministic.
 */
final class FakeValues {

    static final List<String> TIERS = List.of("GOLD", "SILVER", "BRONZE");
    static final List<String> REGIONS = List.of("NORTH", "SOUTH", "EAST", "WEST", "CENTRAL", "APAC", "EMEA", "LATAM");
    static final List<String> CATEGORIES = List.of("ELECTRONICS", "BOOKS", "HOME", "GARDEN", "TOYS", "SPORTS",
            "BEAUTY", "GROCERY", "FASHION", "AUTOMOTIVE");
    static final List<String> STATUSES = List.of("PENDING", "CONFIRMED", "SHIPPED", "DELIVERED", "CANCELLED");
    static final List<String> METHODS = List.of("STANDARD", "EXPRESS", "OVERNIGHT", "PICKUP");
    static final List<String> ADDRESS_TYPES = List.of("billing", "shipping", "home", "work");
    static final List<String> USERS = List.of("APP_USER", "BATCH_JOB", "ADMIN", "SYNC_SERVICE", "API_GATEWAY");

    private final List<String> names = new ArrayList<>();
    private final List<String> emails = new ArrayList<>();
    private final List<String> streets = new ArrayList<>();
    private final List<String> cities = new ArrayList<>();
    private final List<String> zips = new ArrayList<>();
    private final List<String> productNames = new ArrayList<>();
    private final List<String> brands = new ArrayList<>();
    private final List<String> suppliers = new ArrayList<>();

    FakeValues(long seed) {
        Faker faker = new Faker(Locale.ENGLISH, new Random(seed));
        for (int i = 0; i < 400; i++) {
            String first = faker.name().firstName();
            String last = faker.name().lastName();
            names.add(first + " " + last);
            emails.add((first + "." + last).toLowerCase(Locale.ROOT).replaceAll("[^a-z.]", "") + i + "@" + faker.internet().domainName());
        }
        for (int i = 0; i < 300; i++) {
            streets.add(faker.address().streetAddress());
            zips.add(faker.address().zipCode());
            productNames.add(faker.commerce().productName());
        }
        for (int i = 0; i < 100; i++) {
            cities.add(faker.address().city());
            brands.add(faker.company().name());
            suppliers.add(faker.company().name() + " " + faker.company().suffix());
        }
    }

    String name(RandomGenerator r) {
        return pick(names, r);
    }

    String email(RandomGenerator r) {
        return pick(emails, r);
    }

    String street(RandomGenerator r) {
        return pick(streets, r);
    }

    String city(RandomGenerator r) {
        return pick(cities, r);
    }

    String zip(RandomGenerator r) {
        return pick(zips, r);
    }

    String productName(RandomGenerator r) {
        return pick(productNames, r);
    }

    String brand(RandomGenerator r) {
        return pick(brands, r);
    }

    String supplier(RandomGenerator r) {
        return pick(suppliers, r);
    }

    static <T> T pick(List<T> list, RandomGenerator r) {
        return list.get(r.nextInt(list.size()));
    }
}
